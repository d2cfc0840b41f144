/**
 * The per-image half of the recolour engine: decode once, cluster the colours once (weighted
 * k-means in Lab on a deterministic subsample), label every pixel with its cluster. Every palette
 * variation of the image then reuses this analysis (see recolour.ts).
 */
import { createHash } from 'node:crypto';
import sharp, { type OutputInfo } from 'sharp';
import { InvalidImageError } from '../domain/errors.js';
import { MAX_PALETTE_COLORS } from '../domain/palette.js';
import { sampleVisibleColours } from './colour-sample.js';
import { fitKMeans } from './kmeans.js';
import { srgbToLab } from './lab.js';
import { MAX_IMAGE_DIMENSION, probeImage } from './probe.js';

/** k for the one clustering of an image: min(10, 2 × the largest palette); smaller palettes merge clusters. */
export const ANALYSIS_CLUSTERS = Math.min(10, 2 * MAX_PALETTE_COLORS);
/** Label of pixels that take no part in clustering (alpha 0); they keep their original colour. */
export const TRANSPARENT_LABEL = 255;
/** At most this many pixels are sampled to fit k-means. */
export const KMEANS_SAMPLE_SIZE = 32_768;
export const KMEANS_SEED = 0x5eed_c010;
const SAMPLE_SEED = 0x5a3b_1e55;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface ImageAnalysis {
  width: number;
  height: number;
  /**
   * Decoded 8-bit sRGB pixels, row-major, one RGBA word per pixel (R in the low byte, alpha in the
   * high byte, as the bytes R, G, B, A lie in memory). Alpha is 255 throughout when `hasAlpha` is false.
   */
  pixels: Uint32Array;
  /** Whether the source has an alpha channel; the variation keeps it byte for byte. */
  hasAlpha: boolean;
  /** Cluster index per pixel (0 … clusterCount−1), or TRANSPARENT_LABEL for alpha-0 pixels. */
  labels: Uint8Array;
  clusterCount: number;
  /** Lab centroid per cluster, [L, a, b] × clusterCount (mean over all pixels of the cluster). */
  centroids: Float64Array;
  /** Pixels per cluster. */
  clusterPixels: Uint32Array;
  /** SHA-256 (hex) of the source bytes. */
  sourceHash: string;
}

export interface AnalyzeOptions {
  /** Largest width or height accepted (default and upper bound: 4096). */
  maxDimension?: number;
}

export function hashImageBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface DecodedImage {
  width: number;
  height: number;
  pixels: Uint32Array;
  hasAlpha: boolean;
}

async function decode(bytes: Uint8Array, maxDimension: number): Promise<DecodedImage> {
  if (!LITTLE_ENDIAN) throw new Error('The recolour engine needs a little-endian host');
  const limitInputPixels = maxDimension * maxDimension;
  let decoded: { data: Buffer; info: OutputInfo };
  let hasAlpha: boolean;
  try {
    hasAlpha = (await sharp(bytes, { limitInputPixels }).metadata()).hasAlpha === true;
    decoded = await sharp(bytes, { limitInputPixels })
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new InvalidImageError('The image could not be decoded', { cause: err });
  }
  const { data, info } = decoded;
  const count = info.width * info.height;
  if (info.channels !== 4 || data.byteLength < count * 4) {
    throw new InvalidImageError(`Unsupported image layout: ${info.channels} channels`);
  }
  const pixels =
    data.byteOffset % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, count)
      : new Uint32Array(Uint8Array.prototype.slice.call(data, 0, count * 4).buffer);
  return { width: info.width, height: info.height, pixels, hasAlpha };
}

const COLOUR_CACHE_BITS = 12;

interface ClusterTotals {
  /** Pixels per cluster. */
  counts: Uint32Array;
  /** Lab sum per cluster, [L, a, b] × k. */
  sums: Float64Array;
}

/** Adds a run of `length` pixels of one colour (Lab at `lab[slot * 3]`) to a cluster's totals. */
function addRun(totals: ClusterTotals, label: number, lab: Float64Array, slot: number, length: number): void {
  if (length === 0 || label === TRANSPARENT_LABEL) return;
  totals.counts[label] = totals.counts[label]! + length;
  totals.sums[label * 3] = totals.sums[label * 3]! + lab[slot * 3]! * length;
  totals.sums[label * 3 + 1] = totals.sums[label * 3 + 1]! + lab[slot * 3 + 1]! * length;
  totals.sums[label * 3 + 2] = totals.sums[label * 3 + 2]! + lab[slot * 3 + 2]! * length;
}

/**
 * Labels every visible pixel with its nearest centroid (squared ΔE76) and totals, per cluster, its
 * pixel count and Lab sum. Runs of one colour and a small direct-mapped colour cache make flat
 * regions nearly free; only colours missing from the cache are converted to Lab.
 */
function labelPixels(pixels: Uint32Array, fitted: Float64Array) {
  // An Int32Array view keeps every word a small integer for the JIT (no uint32 → double boxing).
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const k = fitted.length / 3;
  const labels = new Uint8Array(words.length);
  const totals: ClusterTotals = { counts: new Uint32Array(k), sums: new Float64Array(k * 3) };
  const cacheKey = new Int32Array(1 << COLOUR_CACHE_BITS).fill(-1);
  const cacheLabel = new Uint8Array(1 << COLOUR_CACHE_BITS);
  const cacheLab = new Float64Array(3 << COLOUR_CACHE_BITS);

  let runWord = 0;
  let runLabel = TRANSPARENT_LABEL;
  let runSlot = 0;
  let runLength = 0; // 0 before the first pixel, so it never matches runWord
  for (let p = 0; p < words.length; p++) {
    const word = words[p]!;
    if (word === runWord && runLength > 0) {
      labels[p] = runLabel;
      runLength++;
      continue;
    }
    addRun(totals, runLabel, cacheLab, runSlot, runLength);
    runWord = word;
    runLength = 1;
    if (word >>> 24 === 0) {
      runLabel = TRANSPARENT_LABEL;
      labels[p] = TRANSPARENT_LABEL;
      continue;
    }
    const key = word & 0xffffff;
    const slot = Math.imul(key, 0x9e3779b1) >>> (32 - COLOUR_CACHE_BITS);
    if (cacheKey[slot] !== key) {
      cacheKey[slot] = key;
      cacheLabel[slot] = nearestColourCluster(key, fitted, k, cacheLab, slot * 3);
    }
    runLabel = cacheLabel[slot]!;
    runSlot = slot;
    labels[p] = runLabel;
  }
  addRun(totals, runLabel, cacheLab, runSlot, runLength);
  return { labels, ...totals };
}

/** Writes the Lab of a packed RGB colour to `lab[offset..]` and returns its nearest centroid (lowest index on ties). */
function nearestColourCluster(rgb: number, centroids: Float64Array, k: number, lab: Float64Array, offset: number): number {
  srgbToLab(rgb & 0xff, (rgb >>> 8) & 0xff, rgb >>> 16, lab, offset);
  const l0 = lab[offset]!;
  const a0 = lab[offset + 1]!;
  const b0 = lab[offset + 2]!;
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < k; c++) {
    const dl = l0 - centroids[c * 3]!;
    const da = a0 - centroids[c * 3 + 1]!;
    const db = b0 - centroids[c * 3 + 2]!;
    const d = dl * dl + da * da + db * db;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** Drops clusters no pixel landed in and renumbers labels so clusters are 0 … clusterCount−1. */
function compactClusters(labels: Uint8Array, sums: Float64Array, counts: Uint32Array) {
  const k = counts.length;
  const renumber = new Uint8Array(256).fill(TRANSPARENT_LABEL);
  let clusterCount = 0;
  for (let c = 0; c < k; c++) if (counts[c]! > 0) renumber[c] = clusterCount++;
  const centroids = new Float64Array(clusterCount * 3);
  const clusterPixels = new Uint32Array(clusterCount);
  for (let c = 0; c < k; c++) {
    const n = counts[c]!;
    if (n === 0) continue;
    const target = renumber[c]!;
    clusterPixels[target] = n;
    for (let i = 0; i < 3; i++) centroids[target * 3 + i] = sums[c * 3 + i]! / n;
  }
  if (clusterCount < k) for (let p = 0; p < labels.length; p++) labels[p] = renumber[labels[p]!]!;
  return { clusterCount, centroids, clusterPixels };
}

/** Validates, decodes and clusters an image; `sourceHash` lets callers that already hashed the bytes skip it. */
export async function analyzeImageBytes(
  bytes: Uint8Array,
  options: AnalyzeOptions = {},
  sourceHash = hashImageBytes(bytes),
): Promise<ImageAnalysis> {
  const maxDimension = Math.min(options.maxDimension ?? MAX_IMAGE_DIMENSION, MAX_IMAGE_DIMENSION);
  await probeImage(bytes, maxDimension);
  const image = await decode(bytes, maxDimension);
  const sample = sampleVisibleColours(image.pixels, KMEANS_SAMPLE_SIZE, SAMPLE_SEED);
  const fitted = fitKMeans(sample, ANALYSIS_CLUSTERS, { seed: KMEANS_SEED });
  const { labels, sums, counts } = labelPixels(image.pixels, fitted);
  return { ...image, labels, ...compactClusters(labels, sums, counts), sourceHash };
}
