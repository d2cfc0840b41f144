/**
 * A contact sheet for the quality benchmark: one row per run (its descriptions as a caption, the
 * base logo, then each variation with its palette as a strip of swatches under it).
 */
import sharp, { type OverlayOptions } from 'sharp';
import { escapeXml } from '../src/imaging/logo/index.js';

export interface SheetRow {
  caption: string;
  base: Uint8Array;
  variations: { image: Uint8Array; colors: readonly string[]; name: string }[];
}

const TILE = 128;
const GAP = 8;
const CAPTION = 22;
const SWATCH = 14;
const LABEL = 14;
const ROW = CAPTION + TILE + SWATCH + LABEL + GAP;

function textSvg(width: number, height: number, text: string, size: number, weight = 'normal'): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="2" y="${height - 4}" font-family="sans-serif" font-size="${size}" font-weight="${weight}" fill="#222">${escapeXml(text)}</text></svg>`,
  );
}

function swatchSvg(colors: readonly string[]): Buffer {
  const w = TILE / colors.length;
  const rects = colors.map((c, i) => `<rect x="${(i * w).toFixed(2)}" y="0" width="${(w + 0.5).toFixed(2)}" height="${SWATCH}" fill="${c}"/>`);
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${TILE}" height="${SWATCH}">${rects.join('')}</svg>`);
}

const tile = (png: Uint8Array) => sharp(png).resize(TILE, TILE, { fit: 'contain', background: '#ffffff' }).flatten({ background: '#ffffff' }).png().toBuffer();

/** The sheet as PNG bytes. */
export async function contactSheet(rows: readonly SheetRow[]): Promise<Buffer> {
  const columns = 1 + Math.max(0, ...rows.map((r) => r.variations.length));
  const width = GAP + columns * (TILE + GAP);
  const height = GAP + rows.length * ROW;
  const layers: OverlayOptions[] = [];
  for (const [r, row] of rows.entries()) {
    const top = GAP + r * ROW;
    layers.push({ input: textSvg(width - 2 * GAP, CAPTION, `${r + 1}. ${row.caption}`, 14, 'bold'), left: GAP, top });
    const images = [row.base, ...row.variations.map((v) => v.image)];
    for (const [c, image] of images.entries()) {
      const left = GAP + c * (TILE + GAP);
      layers.push({ input: await tile(image), left, top: top + CAPTION });
      const variation = c > 0 ? row.variations[c - 1]! : null;
      if (variation) layers.push({ input: swatchSvg(variation.colors), left, top: top + CAPTION + TILE });
      const label = variation ? variation.name : 'base';
      layers.push({ input: textSvg(TILE, LABEL, label.length > 24 ? `${label.slice(0, 23)}…` : label, 10), left, top: top + CAPTION + TILE + SWATCH });
    }
  }
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(layers).png().toBuffer();
}
