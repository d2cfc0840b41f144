/** Mirror images, left-right or top-bottom. */
import type { RgbaImage } from '../../rgba.js';
import { remap } from './resample.js';

export function flip(image: RgbaImage, axis: 'horizontal' | 'vertical'): RgbaImage {
  const { width: w, height: h } = image;
  return axis === 'horizontal' ? remap(image, (x, y) => y * w + (w - 1 - x)) : remap(image, (x, y) => (h - 1 - y) * w + x);
}
