import type { RgbaImage } from '../../rgba.js';
import { mapRgb } from '../pixels.js';

/** amount < 0 scales towards black, > 0 towards white. */
export function lightness(image: RgbaImage, amount: number): RgbaImage {
  const a = Math.max(-1, Math.min(1, amount));
  return mapRgb(image, (r, g, b, out) => {
    out[0] = a < 0 ? r * (1 + a) : r + (255 - r) * a;
    out[1] = a < 0 ? g * (1 + a) : g + (255 - g) * a;
    out[2] = a < 0 ? b * (1 + a) : b + (255 - b) * a;
  });
}
