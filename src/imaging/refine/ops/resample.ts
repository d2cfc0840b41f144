/** Geometry helpers: bilinear resampling through an inverse mapping, and exact whole-pixel moves. */
import type { RgbaImage } from '../../rgba.js';
import { blank } from '../pixels.js';

/**
 * Resamples through an inverse mapping (output pixel → source position), bilinear with
 * premultiplied alpha; positions outside the source take `fill`.
 */
export function resample(
  src: RgbaImage,
  sourceOf: (x: number, y: number) => [number, number],
  fill: ArrayLike<number>,
): RgbaImage {
  const { data, width, height } = src;
  const out = blank(width, height);
  const o = out.data;
  const acc = [0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = sourceOf(x + 0.5, y + 0.5);
      const fx = sx - 0.5;
      const fy = sy - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const tx = fx - x0;
      const ty = fy - y0;
      acc[0] = acc[1] = acc[2] = acc[3] = 0;
      for (let k = 0; k < 4; k++) {
        const px = x0 + (k & 1);
        const py = y0 + (k >> 1);
        const w = ((k & 1) === 1 ? tx : 1 - tx) * ((k >> 1) === 1 ? ty : 1 - ty);
        if (w === 0) continue;
        const inside = px >= 0 && py >= 0 && px < width && py < height;
        const source = inside ? data : fill;
        const i = inside ? (py * width + px) * 4 : 0;
        const aw = source[i + 3]! * w;
        acc[0]! += source[i]! * aw;
        acc[1]! += source[i + 1]! * aw;
        acc[2]! += source[i + 2]! * aw;
        acc[3]! += aw;
      }
      const i = (y * width + x) * 4;
      const alpha = acc[3]!;
      if (alpha > 0) {
        o[i] = acc[0]! / alpha;
        o[i + 1] = acc[1]! / alpha;
        o[i + 2] = acc[2]! / alpha;
      }
      o[i + 3] = alpha;
    }
  }
  return out;
}

/** Moves whole pixels: exact, for flips and quarter turns of square images. */
export function remap(src: RgbaImage, sourceIndexOf: (x: number, y: number) => number): RgbaImage {
  const out = blank(src.width, src.height);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const from = sourceIndexOf(x, y) * 4;
      out.data.set(src.data.subarray(from, from + 4), (y * src.width + x) * 4);
    }
  }
  return out;
}
