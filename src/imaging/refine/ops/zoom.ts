/** Zoom about the centre; uncovered space takes the border colour. */
import type { RgbaImage } from '../../rgba.js';
import { borderColor } from '../pixels.js';
import { resample } from './resample.js';

export function zoom(image: RgbaImage, factor: number): RgbaImage {
  const cx = image.width / 2;
  const cy = image.height / 2;
  return resample(image, (x, y) => [cx + (x - cx) / factor, cy + (y - cy) / factor], borderColor(image));
}
