/** Tint towards a named colour. */
import type { RgbaImage } from '../../rgba.js';
import { TINT_HUES, type TintName } from '../operation.js';
import { luma, mapRgb } from '../pixels.js';
import { hueRotate } from './hue-rotate.js';

/** Hue (0–360, HSL-style) and chroma (0–255) of one colour. */
function hueAndChroma(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  if (chroma === 0) return [0, 0];
  const h = max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  return [(h * 60 + 360) % 360, chroma];
}

/**
 * Tint towards a named hue: turns the image's dominant hue (chroma-weighted circular mean) onto the
 * target; an image with hardly any colour is colourised instead.
 */
export function tint(image: RgbaImage, color: TintName): RgbaImage {
  const target = TINT_HUES[color];
  const { data } = image;
  let x = 0;
  let y = 0;
  let weight = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [h, c] = hueAndChroma(data[i]!, data[i + 1]!, data[i + 2]!);
    const w = c * data[i + 3]!;
    x += Math.cos((h * Math.PI) / 180) * w;
    y += Math.sin((h * Math.PI) / 180) * w;
    weight += c * data[i + 3]!;
  }
  const pixels = data.length / 4;
  if (weight / pixels / 255 > 12) {
    const mean = (Math.atan2(y, x) * 180) / Math.PI;
    return hueRotate(image, ((target - mean + 540) % 360) - 180);
  }
  const rad = (target * Math.PI) / 180;
  const tone = [Math.cos(rad), Math.cos(rad - (2 * Math.PI) / 3), Math.cos(rad + (2 * Math.PI) / 3)];
  return mapRgb(image, (r, g, b, out) => {
    const l = luma(r, g, b);
    const lift = 60 * Math.sin((Math.PI * l) / 255);
    out[0] = r + tone[0]! * lift;
    out[1] = g + tone[1]! * lift;
    out[2] = b + tone[2]! * lift;
  });
}
