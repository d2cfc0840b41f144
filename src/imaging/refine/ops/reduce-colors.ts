/** Fewer colours: a median-cut palette and nearest-colour mapping. */
import type { RgbaImage } from '../../rgba.js';
import { mapRgb } from '../pixels.js';

/** A box of the colour histogram for median cut: entries are [r, g, b, count] at 5 bits per channel. */
type ColourBox = number[][];

function boxRange(box: ColourBox, channel: number): number {
  let min = 31;
  let max = 0;
  for (const e of box) {
    min = Math.min(min, e[channel]!);
    max = Math.max(max, e[channel]!);
  }
  return max - min;
}

/** Median cut on the histogram of opaque-ish pixels: at most `colors` representative colours. */
function medianCutPalette(image: RgbaImage, colors: number): [number, number, number][] {
  const counts = new Map<number, number>();
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3]! < 128) continue;
    const key = ((d[i]! >> 3) << 10) | ((d[i + 1]! >> 3) << 5) | (d[i + 2]! >> 3);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => [k >> 10, (k >> 5) & 31, k & 31, n]);
  if (entries.length === 0) return [];
  const boxes: ColourBox[] = [entries];
  while (boxes.length < colors) {
    // Split the box with the widest channel range, weighted by how many pixels it holds.
    let best = -1;
    let bestScore = 0;
    boxes.forEach((box, i) => {
      if (box.length < 2) return;
      const pixels = box.reduce((sum, e) => sum + e[3]!, 0);
      const score = Math.max(boxRange(box, 0), boxRange(box, 1), boxRange(box, 2)) * Math.sqrt(pixels);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best < 0) break;
    const box = boxes[best]!;
    const ranges = [0, 1, 2].map((c) => boxRange(box, c));
    const channel = ranges.indexOf(Math.max(...ranges));
    box.sort((a, b) => a[channel]! - b[channel]! || a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
    const half = box.reduce((sum, e) => sum + e[3]!, 0) / 2;
    let seen = 0;
    let cut = 1;
    for (let i = 0; i < box.length - 1; i++) {
      seen += box[i]![3]!;
      cut = i + 1;
      if (seen >= half) break;
    }
    boxes.splice(best, 1, box.slice(0, cut), box.slice(cut));
  }
  return boxes.map((box) => {
    const total = box.reduce((sum, e) => sum + e[3]!, 0);
    const mean = (c: number) => Math.round((box.reduce((sum, e) => sum + (e[c]! * 8 + 4) * e[3]!, 0) / total));
    return [mean(0), mean(1), mean(2)];
  });
}

/** Reduces the image to at most `colors` colours (median cut, nearest colour, no dithering); alpha kept. */
export function reduceColors(image: RgbaImage, colors: number): RgbaImage {
  const palette = medianCutPalette(image, colors);
  if (palette.length === 0) return image;
  const nearest = new Map<number, [number, number, number]>();
  return mapRgb(image, (r, g, b, out) => {
    const key = (r << 16) | (g << 8) | b;
    let match = nearest.get(key);
    if (!match) {
      let bestDistance = Infinity;
      for (const p of palette) {
        const distance = (p[0] - r) ** 2 + (p[1] - g) ** 2 + (p[2] - b) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          match = p;
        }
      }
      nearest.set(key, match!);
    }
    out[0] = match![0];
    out[1] = match![1];
    out[2] = match![2];
  });
}
