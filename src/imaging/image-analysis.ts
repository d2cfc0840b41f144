/**
 * The per-image half of the recolour engine: decode once, cluster the colours once (weighted
 * k-means in Lab on a deterministic subsample), label every pixel with its cluster. Every palette
 * variation of the image then reuses this analysis (see recolour.ts).
 */
import { createHash } from 'node:crypto';
import { MAX_PALETTE_COLORS } from '../domain/palette.js';
import { clusterStats } from './cluster-stats.js';
import { sampleVisibleColours } from './colour-sample.js';
import { fitKMeans } from './kmeans.js';
import { srgbToLab } from './lab.js';
import { MAX_IMAGE_DIMENSION, probeImage } from './probe.js';
import { chooseRegions, mixPixels, TRANSPARENT_MIX, type PixelMixes } from './regions.js';
import { decodeRgba, rgbaWords } from './rgba.js';

export { TRANSPARENT_MIX };

/** k for the one clustering of an image: min(10, 2 × the largest palette); smaller palettes merge clusters. */
export const ANALYSIS_CLUSTERS = Math.min(10, 2 * MAX_PALETTE_COLORS);
/** At most this many pixels are sampled to fit k-means. */
export const KMEANS_SAMPLE_SIZE = 32_768;
export const KMEANS_SEED = 0x5eed_c010;
const SAMPLE_SEED = 0x5a3b_1e55;

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
  /** Per pixel, an index into `mixes`, or TRANSPARENT_MIX for alpha-0 pixels (left as they are). */
  mixIndex: Uint16Array;
  /**
   * The blends pixels are made of, packed a | b << 8 | weight << 16: region a's anchor moved
   * towards region b's anchor by weight / 128 (0 … ½), plus a left-over the recolour keeps. Regions
   * are the k-means clusters that are not antialiased edges between two others (regions.ts).
   */
  mixes: Uint32Array;
  /** Regions. */
  clusterCount: number;
  /** sRGB anchor (fill colour) per region, [R, G, B] × clusterCount. */
  anchors: Uint8Array;
  /** Lab of each anchor, [L, a, b] × clusterCount. */
  centroids: Float64Array;
  /** Pixels per region (as the nearer end of their blend). */
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
  const { image, hadAlpha } = await decodeRgba(bytes, maxDimension);
  return { width: image.width, height: image.height, pixels: rgbaWords(image), hasAlpha: hadAlpha };
}

/**
 * Pixels per region, and the regions no blend uses dropped (every colour of theirs sat on a blend
 * of two others): renumbers the blends in place and returns the remaining anchors.
 */
function countRegions(mixes: PixelMixes, anchors: Float64Array): { anchors: Float64Array; pixels: Uint32Array } {
  const regions = anchors.length / 3;
  const used = new Uint8Array(regions);
  const pixels = new Uint32Array(regions);
  mixes.mixes.forEach((mix, i) => {
    used[mix & 0xff] = 1;
    used[(mix >>> 8) & 0xff] = 1;
    pixels[mix & 0xff] = pixels[mix & 0xff]! + mixes.mixPixels[i]!;
  });
  const renumber = new Int32Array(regions).fill(-1);
  let kept = 0;
  for (let r = 0; r < regions; r++) if (used[r]) renumber[r] = kept++;
  if (kept === regions) return { anchors, pixels };
  mixes.mixes.forEach((mix, i) => {
    mixes.mixes[i] = renumber[mix & 0xff]! | (renumber[(mix >>> 8) & 0xff]! << 8) | (mix & 0xffff0000);
  });
  const keptAnchors = new Float64Array(kept * 3);
  const keptPixels = new Uint32Array(kept);
  for (let r = 0; r < regions; r++) {
    if (renumber[r]! < 0) continue;
    keptAnchors.set(anchors.subarray(r * 3, r * 3 + 3), renumber[r]! * 3);
    keptPixels[renumber[r]!] = pixels[r]!;
  }
  return { anchors: keptAnchors, pixels: keptPixels };
}

/** The main region of every pixel (the nearer end of its blend), 255 for alpha-0 pixels: for tests and measurements. */
export function mainRegions(analysis: Pick<ImageAnalysis, 'mixIndex' | 'mixes'>): Uint8Array {
  const regionOfMix = Uint8Array.from(analysis.mixes, (mix) => mix & 0xff);
  return Uint8Array.from(analysis.mixIndex, (index) => (index === TRANSPARENT_MIX ? 255 : regionOfMix[index]!));
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
  const clusters = clusterStats(sample, fitted, image.pixels, image.width, image.height);
  const isRegion = chooseRegions(clusters.anchors, clusters.weights, clusters.interior);
  const regionAnchors = Float64Array.from(clusters.anchors.filter((_, i) => isRegion[Math.floor(i / 3)]));
  const mixes = mixPixels(image.pixels, regionAnchors);
  const regions = countRegions(mixes, regionAnchors);
  const clusterCount = regions.anchors.length / 3;
  const centroids = new Float64Array(clusterCount * 3);
  for (let r = 0; r < clusterCount; r++) srgbToLab(regions.anchors[r * 3]!, regions.anchors[r * 3 + 1]!, regions.anchors[r * 3 + 2]!, centroids, r * 3);
  return {
    ...image,
    mixIndex: mixes.mixIndex,
    mixes: mixes.mixes,
    clusterCount,
    anchors: Uint8Array.from(regions.anchors),
    centroids,
    clusterPixels: regions.pixels,
    sourceHash,
  };
}
