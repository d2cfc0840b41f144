/**
 * What the analysis needs to know about each k-means cluster before it decides which clusters are
 * regions (regions.ts): its share of the image, its anchor colour and how much of it is interior.
 * Shares and colours come from the weighted sample k-means was fitted on; interior from a sparse
 * set of row pairs labelled with their nearest centroid. Neither needs a pass over every pixel.
 */
import type { SampledColours } from './colour-sample.js';
import { srgbToLab } from './lab.js';

/** Label of alpha-0 pixels in the row labelling: they belong to no cluster. */
const TRANSPARENT_LABEL = 255;
/** A sampled colour this large a share of its cluster is the cluster's fill colour. */
const FILL_SHARE = 0.3;
/** Interior is measured on row pairs this many rows apart. */
const ROW_STEP = 8;
const COLOUR_CACHE_BITS = 12;

export interface ClusterStats {
  clusterCount: number;
  /** Sampled weight per cluster (its share of the image). */
  weights: Float64Array;
  /**
   * Anchor sRGB colour per cluster, [R, G, B] × clusterCount, whole numbers: its most frequent
   * sampled colour when that colour is a real share of the cluster (a flat fill), else its mean.
   */
  anchors: Float64Array;
  /** Share (0–1) of each cluster's pixels on the measured rows whose left, right and lower neighbours share the cluster. */
  interior: Float64Array;
}

function nearest(l: number, a: number, b: number, centroids: Float64Array, k: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < k; c++) {
    const dl = l - centroids[c * 3]!;
    const da = a - centroids[c * 3 + 1]!;
    const db = b - centroids[c * 3 + 2]!;
    const d = dl * dl + da * da + db * db;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Nearest-centroid label of every pixel of rows y and y + 1 for y = 0, ROW_STEP, 2·ROW_STEP, … (others untouched). */
function labelRowPairs(pixels: Uint32Array, width: number, height: number, centroids: Float64Array, labels: Uint8Array): void {
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const k = centroids.length / 3;
  const cacheKey = new Int32Array(1 << COLOUR_CACHE_BITS).fill(-1);
  const cacheLabel = new Uint8Array(1 << COLOUR_CACHE_BITS);
  const lab = new Float64Array(3);
  for (let y = 0; y < height; y += ROW_STEP) {
    const end = Math.min(height, y + 2) * width;
    let previousWord = 0;
    let previousLabel = -1;
    for (let p = y * width; p < end; p++) {
      const word = words[p]!;
      if (word !== previousWord || previousLabel < 0) {
        previousWord = word;
        if (word >>> 24 === 0) {
          previousLabel = TRANSPARENT_LABEL;
        } else {
          const key = word & 0xffffff;
          const slot = Math.imul(key, 0x9e3779b1) >>> (32 - COLOUR_CACHE_BITS);
          if (cacheKey[slot] !== key) {
            cacheKey[slot] = key;
            srgbToLab(key & 0xff, (key >>> 8) & 0xff, key >>> 16, lab);
            cacheLabel[slot] = nearest(lab[0]!, lab[1]!, lab[2]!, centroids, k);
          }
          previousLabel = cacheLabel[slot]!;
        }
      }
      labels[p] = previousLabel;
    }
  }
}

function interiorShares(pixels: Uint32Array, width: number, height: number, centroids: Float64Array): Float64Array {
  const k = centroids.length / 3;
  const labels = new Uint8Array(pixels.length);
  labelRowPairs(pixels, width, height, centroids, labels);
  const seen = new Float64Array(k);
  const inside = new Float64Array(k);
  for (let y = 0; y + 1 < height; y += ROW_STEP) {
    for (let x = 1, p = y * width + 1; x < width - 1; x++, p++) {
      const label = labels[p]!;
      if (label === TRANSPARENT_LABEL) continue;
      seen[label]!++;
      if (labels[p - 1] === label && labels[p + 1] === label && labels[p + width] === label) inside[label]!++;
    }
  }
  // A cluster missing from every measured row is rare, thin or scattered: no interior. (An image of
  // one row has nothing to measure: every cluster counts as interior there.)
  return seen.map((n, c) => (n > 0 ? inside[c]! / n : height < 2 ? 1 : 0));
}

/** Statistics of the fitted clusters (Lab centroids), dropping clusters no sampled colour is nearest to. */
export function clusterStats(sample: SampledColours, fitted: Float64Array, pixels: Uint32Array, width: number, height: number): ClusterStats {
  const k = fitted.length / 3;
  const weight = new Float64Array(k);
  const rgbSum = new Float64Array(k * 3);
  const heaviest = new Int32Array(k).fill(-1);
  for (let i = 0; i < sample.count; i++) {
    const c = nearest(sample.coords[i * 3]!, sample.coords[i * 3 + 1]!, sample.coords[i * 3 + 2]!, fitted, k);
    const w = sample.weights[i]!;
    const key = sample.keys[i]!;
    weight[c] = weight[c]! + w;
    rgbSum[c * 3] = rgbSum[c * 3]! + w * (key & 0xff);
    rgbSum[c * 3 + 1] = rgbSum[c * 3 + 1]! + w * ((key >>> 8) & 0xff);
    rgbSum[c * 3 + 2] = rgbSum[c * 3 + 2]! + w * ((key >>> 16) & 0xff);
    if (heaviest[c] === -1 || w > sample.weights[heaviest[c]!]!) heaviest[c] = i;
  }
  const kept = [...weight.keys()].filter((c) => weight[c]! > 0);
  const centroids = new Float64Array(kept.length * 3);
  const anchors = new Float64Array(kept.length * 3);
  kept.forEach((c, i) => {
    centroids.set(fitted.subarray(c * 3, c * 3 + 3), i * 3);
    const mode = heaviest[c]!;
    if (sample.weights[mode]! >= FILL_SHARE * weight[c]!) {
      const key = sample.keys[mode]!;
      anchors.set([key & 0xff, (key >>> 8) & 0xff, (key >>> 16) & 0xff], i * 3);
    } else {
      for (let j = 0; j < 3; j++) anchors[i * 3 + j] = Math.round(rgbSum[c * 3 + j]! / weight[c]!);
    }
  });
  return {
    clusterCount: kept.length,
    weights: Float64Array.from(kept, (c) => weight[c]!),
    anchors,
    interior: interiorShares(pixels, width, height, centroids),
  };
}
