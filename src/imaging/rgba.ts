/**
 * The one RGBA decode of the imaging code: any supported image → 8-bit sRGB RGBA pixels with
 * orientation applied (sharp), used by the recolour analysis and by refinement; and the way back
 * into sharp for raw pixels.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { InvalidImageError } from '../domain/errors.js';
import { MAX_IMAGE_DIMENSION } from './probe.js';

/** Decoded pixels, row-major, the bytes R, G, B, A per pixel. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface DecodedRgba {
  image: RgbaImage;
  /** Whether the source has an alpha channel (without one, alpha is 255 throughout). */
  hadAlpha: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Pixels over raw RGBA bytes from sharp (no copy). */
export function rgbaImage(data: Uint8Array, width: number, height: number): RgbaImage {
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, width * height * 4), width, height };
}

/**
 * Decodes an image at most `maxDimension` on a side (InvalidImageError when sharp cannot): sRGB,
 * EXIF orientation applied, alpha added where missing.
 */
export async function decodeRgba(bytes: Uint8Array, maxDimension = MAX_IMAGE_DIMENSION): Promise<DecodedRgba> {
  let decoded: { data: Buffer; info: OutputInfo };
  let hadAlpha: boolean;
  try {
    const input = sharp(bytes, { limitInputPixels: maxDimension * maxDimension });
    hadAlpha = (await input.metadata()).hasAlpha === true;
    decoded = await input.autoOrient().toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new InvalidImageError('The image could not be decoded', { cause: err });
  }
  const { data, info } = decoded;
  if (info.channels !== 4 || data.byteLength < info.width * info.height * 4) {
    throw new InvalidImageError(`Unsupported image layout: ${info.channels} channels`);
  }
  return { image: rgbaImage(data, info.width, info.height), hadAlpha };
}

/** The pixels as one RGBA word each (R in the low byte, as they lie in memory); a copy only when unaligned. */
export function rgbaWords({ data, width, height }: RgbaImage): Uint32Array {
  if (!LITTLE_ENDIAN) throw new Error('The imaging code needs a little-endian host');
  const count = width * height;
  return data.byteOffset % 4 === 0
    ? new Uint32Array(data.buffer, data.byteOffset, count)
    : new Uint32Array(data.slice(0, count * 4).buffer);
}

/** A sharp pipeline reading the pixels (no copy). */
export function sharpOfRgba({ data, width, height }: RgbaImage): Sharp {
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 4 } });
}
