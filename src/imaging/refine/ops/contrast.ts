import type { RgbaImage } from '../../rgba.js';
import { mapRgb } from '../pixels.js';

/** Scales every channel's distance from mid-grey. */
export function contrast(image: RgbaImage, factor: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    out[0] = (r - 128) * factor + 128;
    out[1] = (g - 128) * factor + 128;
    out[2] = (b - 128) * factor + 128;
  });
}
