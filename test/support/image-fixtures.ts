/** Test and benchmark images, generated in code with sharp (no binary fixtures in the repository). */
import sharp from 'sharp';

/**
 * A logo-like SVG: transparent background, a rounded badge with a linear gradient, a ring, a
 * radial-gradient circle, a semi-transparent overlay and text-like bars. Antialiased when rendered.
 */
export function logoSvg(width: number, height = width): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 100" preserveAspectRatio="none">
  <defs>
    <linearGradient id="badge" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#1d3557"/><stop offset="1" stop-color="#457b9d"/>
    </linearGradient>
    <radialGradient id="sun" cx="0.4" cy="0.4" r="0.6">
      <stop offset="0" stop-color="#ffd166"/><stop offset="1" stop-color="#ef476f"/>
    </radialGradient>
  </defs>
  <rect x="8" y="8" width="84" height="84" rx="18" fill="url(#badge)"/>
  <circle cx="50" cy="42" r="24" fill="none" stroke="#f1faee" stroke-width="4"/>
  <circle cx="50" cy="42" r="17" fill="url(#sun)"/>
  <polygon points="20,88 50,58 80,88" fill="#2a9d8f" fill-opacity="0.7"/>
  <rect x="26" y="72" width="48" height="5" rx="2.5" fill="#e9ecef"/>
  <rect x="34" y="80" width="32" height="3" rx="1.5" fill="#111111"/>
</svg>`;
}

/** The logo rendered to an RGBA PNG of the given size. */
export async function logoPng(width: number, height = width): Promise<Buffer> {
  return sharp(Buffer.from(logoSvg(width, height))).png().toBuffer();
}

/** An opaque RGB PNG from a per-pixel colour function. */
export async function rgbPng(width: number, height: number, colorAt: (x: number, y: number) => [number, number, number]): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colorAt(x, y), (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** An RGBA PNG from a per-pixel colour function. */
export async function rgbaPng(
  width: number,
  height: number,
  colorAt: (x: number, y: number) => [number, number, number, number],
): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colorAt(x, y), (y * width + x) * 4);
  }
  return sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** A horizontal grey ramp, black at x = 0 to white at the right edge (opaque RGB). */
export async function grayRampPng(width: number, height: number): Promise<Buffer> {
  return rgbPng(width, height, (x) => {
    const v = Math.round((x * 255) / Math.max(1, width - 1));
    return [v, v, v];
  });
}

/** A greyscale PNG (colour type 0; 8- or 16-bit samples): vertical bands of four grey levels. */
export async function greyscalePng(width: number, height: number, bitDepth: 8 | 16 = 8): Promise<Buffer> {
  const data = Buffer.alloc(width * height);
  const levels = [20, 90, 160, 235];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = levels[Math.floor((x * levels.length) / width)]!;
  }
  return sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace(bitDepth === 16 ? 'grey16' : 'b-w')
    .png()
    .toBuffer();
}

/** A palette-mode (indexed colour) PNG of the logo. */
export async function indexedPng(width: number, height = width): Promise<Buffer> {
  return sharp(Buffer.from(logoSvg(width, height))).png({ palette: true, colours: 16, dither: 0 }).toBuffer();
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** Decodes any image to raw 8-bit pixels (RGB or RGBA as stored). */
export async function decodeRaw(bytes: Uint8Array): Promise<RawImage> {
  const { data, info } = await sharp(bytes).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Decodes any image to raw 8-bit RGBA (alpha 255 where the image has none), as the engine sees it. */
export async function decodeRgba(bytes: Uint8Array): Promise<RawImage> {
  const { data, info } = await sharp(bytes)
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
