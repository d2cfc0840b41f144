/** Rotation about the centre: exact for half turns (and quarter turns of squares), resampled otherwise. */
import type { RgbaImage } from '../../rgba.js';
import { borderColor } from '../pixels.js';
import { remap, resample } from './resample.js';

export function rotate(image: RgbaImage, degrees: number): RgbaImage {
  const { width: w, height: h } = image;
  const turn = ((Math.round(degrees) % 360) + 360) % 360;
  if (turn === 0) return image;
  if (turn === 180) return remap(image, (x, y) => (h - 1 - y) * w + (w - 1 - x));
  if (w === h && turn === 90) return remap(image, (x, y) => (w - 1 - x) * w + y);
  if (w === h && turn === 270) return remap(image, (x, y) => y * w + (w - 1 - x));
  // Clockwise on screen: the output pixel at angle θ comes from the source at θ - degrees.
  const rad = (-degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = w / 2;
  const cy = h / 2;
  return resample(image, (x, y) => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos], borderColor(image));
}
