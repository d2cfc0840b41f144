import type { RgbaImage } from '../../rgba.js';
import { luma, mapRgb } from '../pixels.js';

/** Scales every colour's distance from its grey (luma); 0 is grayscale, above 1 more vivid. */
export function saturation(image: RgbaImage, factor: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    const l = luma(r, g, b);
    out[0] = l + (r - l) * factor;
    out[1] = l + (g - l) * factor;
    out[2] = l + (b - l) * factor;
  });
}
