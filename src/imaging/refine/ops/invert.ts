import type { RgbaImage } from '../../rgba.js';
import { mapRgb } from '../pixels.js';

/** The negative of the colours; alpha untouched. */
export function invert(image: RgbaImage): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    out[0] = 255 - r;
    out[1] = 255 - g;
    out[2] = 255 - b;
  });
}
