/** Bolder outlines along colour and alpha edges. */
import type { RgbaImage } from '../../rgba.js';
import { borderColor, luma } from '../pixels.js';

/** Running max (or min) over a window of ±radius along rows, then columns, of a one-channel map. */
function spread(values: Uint8ClampedArray, width: number, height: number, radius: number, pickMax: boolean): Uint8ClampedArray {
  const better = pickMax ? (a: number, b: number) => (a > b ? a : b) : (a: number, b: number) => (a < b ? a : b);
  const pass = (input: Uint8ClampedArray, along: 'row' | 'column') => {
    const out = new Uint8ClampedArray(input.length);
    const lines = along === 'row' ? height : width;
    const length = along === 'row' ? width : height;
    for (let line = 0; line < lines; line++) {
      for (let p = 0; p < length; p++) {
        let best = pickMax ? 0 : 255;
        for (let q = Math.max(0, p - radius); q <= Math.min(length - 1, p + radius); q++) {
          best = better(best, input[along === 'row' ? line * width + q : q * width + line]!);
        }
        out[along === 'row' ? line * width + p : p * width + line] = best;
      }
    }
    return out;
  };
  return pass(pass(values, 'row'), 'column');
}

const OUTLINE_DARK_LUMA = 40;
const OUTLINE_LIGHT_LUMA = 225;

/**
 * Bolder outline: a band around every sharp colour or alpha edge is painted in the image's
 * strongest ink: its darkest colour, deepened to near-black, on a light ground; its lightest,
 * lifted to near-white, on a dark one.
 */
export function boldOutline(image: RgbaImage, strength: number): RgbaImage {
  const { data, width, height } = image;
  const n = width * height;
  const tone = new Float64Array(n);
  for (let p = 0; p < n; p++) tone[p] = (luma(data[p * 4]!, data[p * 4 + 1]!, data[p * 4 + 2]!) * data[p * 4 + 3]!) / 255;
  const edges = new Uint8ClampedArray(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const right = x + 1 < width ? p + 1 : p;
      const down = y + 1 < height ? p + width : p;
      const step = Math.max(Math.abs(tone[p]! - tone[right]!), Math.abs(tone[p]! - tone[down]!));
      const alphaStep = Math.max(Math.abs(data[p * 4 + 3]! - data[right * 4 + 3]!), Math.abs(data[p * 4 + 3]! - data[down * 4 + 3]!));
      if (step > 28 || alphaStep > 64) edges[p] = 255;
    }
  }
  const radius = Math.max(1, Math.round((Math.min(width, height) / 220) * strength));
  const band = spread(edges, width, height, radius, true);
  const background = borderColor(image);
  const lightGround = luma(background[0], background[1], background[2]) >= 110 || background[3] < 128;
  let inkIndex = -1;
  let inkTone = lightGround ? Infinity : -Infinity;
  for (let p = 0; p < n; p++) {
    if (data[p * 4 + 3]! < 200) continue;
    const t = tone[p]!;
    if (lightGround ? t < inkTone : t > inkTone) {
      inkTone = t;
      inkIndex = p;
    }
  }
  const found = inkIndex >= 0 ? [data[inkIndex * 4]!, data[inkIndex * 4 + 1]!, data[inkIndex * 4 + 2]!] : lightGround ? [0, 0, 0] : [255, 255, 255];
  // Outlines read as outlines when they are near-black (or near-white on a dark ground): push the ink there, keeping its hue.
  const foundLuma = luma(found[0]!, found[1]!, found[2]!);
  const ink = lightGround
    ? found.map((c) => c * Math.min(1, OUTLINE_DARK_LUMA / Math.max(1, foundLuma)))
    : found.map((c) => 255 - (255 - c) * Math.min(1, (255 - OUTLINE_LIGHT_LUMA) / Math.max(1, 255 - foundLuma)));
  for (let p = 0; p < n; p++) {
    if (band[p] === 0) continue;
    const i = p * 4;
    for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * 0.1 + ink[c]! * 0.9;
    data[i + 3] = 255;
  }
  return image;
}
