/** Small helpers the pixel operations share. */
import type { RgbaImage } from '../rgba.js';

export function blank(width: number, height: number): RgbaImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

/** Applies `f` to the RGB of every pixel in place; alpha untouched. */
export function mapRgb(image: RgbaImage, f: (r: number, g: number, b: number, out: number[]) => void): RgbaImage {
  const d = image.data;
  const out = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) {
    f(d[i]!, d[i + 1]!, d[i + 2]!, out);
    d[i] = out[0]!;
    d[i + 1] = out[1]!;
    d[i + 2] = out[2]!;
  }
  return image;
}

export const luma = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Mean colour (with alpha) of the outermost pixel ring: what a background most likely is. */
export function borderColor({ data, width, height }: RgbaImage): [number, number, number, number] {
  const sum = [0, 0, 0, 0];
  let count = 0;
  const add = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    for (let c = 0; c < 4; c++) sum[c]! += data[i + c]!;
    count++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    add(width - 1, y);
  }
  return sum.map((s) => Math.round(s / count)) as [number, number, number, number];
}
