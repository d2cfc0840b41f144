/**
 * Palette variations (SPEC §3): analyse an image once (image-analysis.ts, cached here), then recolour it with any
 * number of palettes (recolour). Each region of similar colour becomes one palette colour, chosen so
 * lightness order is kept and distinct regions stay distinct; antialiased edges and gradients
 * become the same blends of the new colours; alpha untouched. No blend with the original (see
 * docs/recolour.md). Same image + palette → byte-identical output.
 */
import sharp, { type PngOptions, type WebpOptions } from 'sharp';
import { hexToRgb, parsePaletteColors } from '../domain/palette.js';
import { AnalysisCache } from './analysis-cache.js';
import { mergeClusters } from './cluster-merging.js';
import { ANALYSIS_CLUSTERS, TRANSPARENT_MIX, type ImageAnalysis } from './image-analysis.js';
import { srgbToLab } from './lab.js';
import { assignPaletteColors } from './palette-mapping.js';
import { RawBufferPool } from './raw-buffer-pool.js';
import { MIX_SCALE } from './regions.js';

/** The encoding of variations (config VARIATION_FORMAT). */
export type VariationFormat = 'png' | 'webp';

/** PNG settings of every variation (the benchmark's floor uses the same). */
export const VARIATION_PNG_OPTIONS: PngOptions = { compressionLevel: 6, adaptiveFiltering: false };
export const VARIATION_WEBP_OPTIONS: WebpOptions = { quality: 90, alphaQuality: 100, effort: 4 };

const MIX_BITS = Math.log2(MIX_SCALE);
const HALF_MIX = MIX_SCALE / 2;

const CONTENT_TYPES: Record<VariationFormat, string> = { png: 'image/png', webp: 'image/webp' };

const sharedCache = new AnalysisCache();
const rawBuffers = new RawBufferPool();

/** analyzeImageBytes (validates, decodes and clusters; InvalidImageError), cached in-process by content hash (LRU of 4, shared promise), so the N variation activities of one run on one worker analyse once. */
export async function analyzeImageCached(bytes: Uint8Array): Promise<ImageAnalysis> {
  return sharedCache.analyze(bytes);
}

/** Lab of each palette colour, [L, a, b] × colours. */
function paletteLab(palette: readonly (readonly [number, number, number])[]): Float64Array {
  const lab = new Float64Array(palette.length * 3);
  palette.forEach(([r, g, b], i) => srgbToLab(r, g, b, lab, i * 3));
  return lab;
}

/**
 * Per region, the shift that recolours it: [ΔR, ΔG, ΔB] × regions. Regions are first merged down to
 * 2 × palette size groups (SPEC: k = min(10, 2 × palette size)); each group gets one palette colour
 * (palette-mapping.ts). All regions given one colour share one shift, palette colour − their
 * pixel-weighted mean anchor: a region alone on its colour becomes exactly that colour, and similar
 * regions sharing a colour (the bands of a gradient, shading) keep their differences around it.
 */
function regionOffsets(analysis: ImageAnalysis, palette: readonly (readonly [number, number, number])[]): Int32Array {
  const groups = mergeClusters(analysis.centroids, analysis.clusterPixels, Math.min(ANALYSIS_CLUSTERS, 2 * palette.length));
  const colourOfGroup = assignPaletteColors(groups.lab, groups.pixels, paletteLab(palette));
  const regions = analysis.clusterCount;
  const colourOf = Int32Array.from({ length: regions }, (_, r) => colourOfGroup[groups.groupOf[r]!]!);
  const sums = new Float64Array(palette.length * 4);
  for (let r = 0; r < regions; r++) {
    const weight = analysis.clusterPixels[r]! + 1;
    const c = colourOf[r]! * 4;
    for (let i = 0; i < 3; i++) sums[c + i] = sums[c + i]! + weight * analysis.anchors[r * 3 + i]!;
    sums[c + 3] = sums[c + 3]! + weight;
  }
  const offsets = new Int32Array(regions * 3);
  for (let r = 0; r < regions; r++) {
    const c = colourOf[r]!;
    for (let i = 0; i < 3; i++) offsets[r * 3 + i] = Math.round(palette[c]![i]! - sums[c * 4 + i]! / sums[c * 4 + 3]!);
  }
  return offsets;
}

/**
 * Per blend (analysis.mixes), the shift its pixels get: [ΔR, ΔG, ΔB] × blends. A blend of regions a
 * and b by weight w shifts by a's shift moved towards b's by w: a pixel equal to its region's
 * anchor becomes exactly the new colour, a blend of two regions the same blend of their new colours,
 * and what the two anchors do not explain (texture, shading) is kept.
 */
function mixOffsets(analysis: ImageAnalysis, regionShift: Int32Array): Int32Array {
  const out = new Int32Array(analysis.mixes.length * 3);
  analysis.mixes.forEach((mix, i) => {
    const a = (mix & 0xff) * 3;
    const b = ((mix >>> 8) & 0xff) * 3;
    const w = mix >>> 16;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = regionShift[a + c]! + (((regionShift[b + c]! - regionShift[a + c]!) * w + HALF_MIX) >> MIX_BITS);
  });
  return out;
}

const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** One pixel shifted, as a packed RGB word. */
function shifted(word: number, offsets: Int32Array, o: number): number {
  return clampByte((word & 0xff) + offsets[o]!) | (clampByte(((word >>> 8) & 0xff) + offsets[o + 1]!) << 8) | (clampByte(((word >>> 16) & 0xff) + offsets[o + 2]!) << 16);
}

/**
 * Recoloured RGBA words; alpha, and alpha-0 pixels, copied from the original. A run of identical
 * pixels (flat regions) reuses the previous result: a pixel's blend depends on its colour only.
 */
function recolourRgba(analysis: ImageAnalysis, offsets: Int32Array, target: Buffer): void {
  const { pixels, mixIndex } = analysis;
  // Int32 views keep every word a small integer for the JIT (no uint32 → double boxing).
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const out = new Int32Array(target.buffer, target.byteOffset, words.length);
  let previousWord = 0;
  let previousOut = 0;
  for (let p = 0; p < words.length; p++) {
    const word = words[p]!;
    if (word !== previousWord || p === 0) {
      previousWord = word;
      const index = mixIndex[p]!;
      previousOut = index === TRANSPARENT_MIX ? word : shifted(word, offsets, index * 3) | (word & 0xff000000);
    }
    out[p] = previousOut;
  }
}

/** Recoloured RGB bytes, for images without alpha (every pixel has a blend). */
function recolourRgb(analysis: ImageAnalysis, offsets: Int32Array, out: Buffer): void {
  const { pixels, mixIndex } = analysis;
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  let previousWord = 0;
  let previousOut = 0;
  for (let p = 0, d = 0; p < words.length; p++, d += 3) {
    const word = words[p]!;
    if (word !== previousWord || p === 0) {
      previousWord = word;
      previousOut = shifted(word, offsets, mixIndex[p]! * 3);
    }
    out[d] = previousOut & 0xff;
    out[d + 1] = (previousOut >>> 8) & 0xff;
    out[d + 2] = (previousOut >>> 16) & 0xff;
  }
}

/** Recolours an analysed image with 1–5 hex colours (InvalidPaletteError otherwise); PNG unless `format: 'webp'`. */
export async function recolour(
  analysis: ImageAnalysis,
  colors: readonly string[],
  options?: { format?: VariationFormat },
): Promise<{ bytes: Buffer; contentType: string }> {
  const palette = parsePaletteColors(colors).map(hexToRgb);
  const format = options?.format ?? 'png';
  const offsets = mixOffsets(analysis, regionOffsets(analysis, palette));
  const channels = analysis.hasAlpha ? 4 : 3;
  const raw = rawBuffers.acquire(analysis.width * analysis.height * channels);
  try {
    if (analysis.hasAlpha) recolourRgba(analysis, offsets, raw);
    else recolourRgb(analysis, offsets, raw);
    const image = sharp(raw, { raw: { width: analysis.width, height: analysis.height, channels } });
    const bytes = await (format === 'webp' ? image.webp(VARIATION_WEBP_OPTIONS) : image.png(VARIATION_PNG_OPTIONS)).toBuffer();
    return { bytes, contentType: CONTENT_TYPES[format] };
  } finally {
    rawBuffers.release(raw);
  }
}
