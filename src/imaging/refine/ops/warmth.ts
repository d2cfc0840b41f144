import type { RgbaImage } from '../../rgba.js';
import { mapRgb } from '../pixels.js';

/** Shifts towards red and yellow (amount > 0) or blue (amount < 0). */
export function warmth(image: RgbaImage, amount: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    out[0] = r + 18 * amount;
    out[1] = g + 4 * amount;
    out[2] = b - 18 * amount;
  });
}
