/**
 * The deterministic subsample k-means is fitted on: at most `size` visible pixels (alpha > 0),
 * reduced to their distinct colours in Lab (and their sRGB keys), each weighted by how often it was sampled.
 */
import { createPrng, type WeightedPoints } from './kmeans.js';
import { srgbToLab } from './lab.js';

const DEDUPE_TABLE_BITS = 17;

/**
 * Jittered stratified sampling: the image (in scan order) is cut into equal strata and one pixel is
 * drawn at a seeded random offset in each; transparent draws are dropped. The number of strata is
 * scaled by the visible share so about `size` visible pixels are kept (all of them when there are
 * at most `size`). Spread over the whole image, free of the aliasing a fixed stride has with the
 * image width, O(sample) after one counting pass, and deterministic.
 *
 * @param pixels packed RGBA words (R in the low byte, alpha in the high byte)
 */
export interface SampledColours extends WeightedPoints {
  /** The sRGB colour of each point, packed R | G << 8 | B << 16. */
  keys: Int32Array;
}

export function sampleVisibleColours(pixels: Uint32Array, size: number, seed: number): SampledColours {
  if (size > 1 << (DEDUPE_TABLE_BITS - 1)) throw new RangeError(`sample size ${size} is too large`);
  // An Int32Array view keeps every word a small integer for the JIT (no uint32 → double boxing).
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const total = words.length;
  let visible = 0;
  for (let p = 0; p < total; p++) if (words[p]! >>> 24 !== 0) visible++;
  const draws = visible === 0 ? 0 : Math.min(total, Math.ceil((size * total) / visible));

  const tableSize = 1 << DEDUPE_TABLE_BITS;
  const tableKey = new Int32Array(tableSize).fill(-1);
  const tableIndex = new Int32Array(tableSize);
  const colours = new Int32Array(Math.min(draws, tableSize >>> 1));
  const counts = new Float64Array(colours.length);
  let distinct = 0;
  let taken = 0;

  const random = createPrng(seed);
  const stratum = total / Math.max(1, draws);
  for (let j = 0; j < draws && taken < size; j++) {
    const word = words[Math.floor((j + random()) * stratum)]!;
    if (word >>> 24 === 0) continue;
    const key = word & 0xffffff;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - DEDUPE_TABLE_BITS);
    while (tableKey[slot] !== -1 && tableKey[slot] !== key) slot = (slot + 1) & (tableSize - 1);
    if (tableKey[slot] === -1) {
      tableKey[slot] = key;
      tableIndex[slot] = distinct;
      colours[distinct++] = key;
    }
    counts[tableIndex[slot]!]!++;
    taken++;
  }

  const coords = new Float64Array(distinct * 3);
  for (let i = 0; i < distinct; i++) {
    const key = colours[i]!;
    srgbToLab(key & 0xff, (key >>> 8) & 0xff, (key >>> 16) & 0xff, coords, i * 3);
  }
  return { coords, weights: counts.slice(0, distinct), count: distinct, keys: colours.slice(0, distinct) };
}
