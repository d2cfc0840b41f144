/**
 * Palette variations (SPEC §3): analyse an image once (analyzeImage), then recolour it with any
 * number of palettes (recolour). Each cluster of similar colours becomes one palette colour, chosen
 * so lightness order is kept; the result is 75 % palette colour + 25 % original, alpha untouched.
 * Same image + palette → byte-identical output. See docs/recolour.md.
 */
import sharp, { type PngOptions, type WebpOptions } from 'sharp';
import { hexToRgb, parsePaletteColors } from '../domain/palette.js';
import { AnalysisCache } from './analysis-cache.js';
import { mergeClusters } from './cluster-merging.js';
import { ANALYSIS_CLUSTERS, analyzeImageBytes, TRANSPARENT_LABEL, type AnalyzeOptions, type ImageAnalysis } from './image-analysis.js';
import { srgbLightness } from './lab.js';
import { assignPaletteColors } from './palette-mapping.js';
import { RawBufferPool } from './raw-buffer-pool.js';

export type { AnalyzeOptions, ImageAnalysis } from './image-analysis.js';

export type VariationFormat = 'png' | 'webp';

/** PNG settings of every variation (the benchmark's floor uses the same). */
export const VARIATION_PNG_OPTIONS: PngOptions = { compressionLevel: 6, adaptiveFiltering: false };
export const VARIATION_WEBP_OPTIONS: WebpOptions = { quality: 90, alphaQuality: 100, effort: 4 };

const CONTENT_TYPES: Record<VariationFormat, string> = { png: 'image/png', webp: 'image/webp' };

/** Decodes, validates (InvalidImageError) and clusters an image. */
export async function analyzeImage(bytes: Uint8Array, options?: AnalyzeOptions): Promise<ImageAnalysis> {
  return analyzeImageBytes(bytes, options);
}

const sharedCache = new AnalysisCache();
const rawBuffers = new RawBufferPool();

/** Like analyzeImage, cached in-process by content hash (LRU of 4, shared promise), so the N variation activities of one run on one worker analyse once. */
export async function analyzeImageCached(bytes: Uint8Array): Promise<ImageAnalysis> {
  return sharedCache.analyze(bytes);
}

/**
 * Per cluster, its palette colour as 3 × channel + 2 in three 10-bit fields (R bits 0–9, G 10–19,
 * B 20–29). Adding an original pixel spread the same way and shifting each field right by 2 gives
 * round(0.75 × palette + 0.25 × original) for all three channels at once (no field overflows 1023).
 */
function blendTable(analysis: ImageAnalysis, palette: readonly (readonly [number, number, number])[]): Int32Array {
  const groups = mergeClusters(analysis.centroids, analysis.clusterPixels, Math.min(ANALYSIS_CLUSTERS, 2 * palette.length));
  const groupLightness = Array.from({ length: groups.pixels.length }, (_, g) => groups.lab[g * 3]!);
  const paletteLightness = palette.map(([r, g, b]) => srgbLightness(r, g, b));
  const colourOfGroup = assignPaletteColors(groupLightness, groups.pixels, paletteLightness);
  const table = new Int32Array(analysis.clusterCount);
  for (let c = 0; c < analysis.clusterCount; c++) {
    const [r, g, b] = palette[colourOfGroup[groups.groupOf[c]!]!]!;
    table[c] = (3 * r + 2) | ((3 * g + 2) << 10) | ((3 * b + 2) << 20);
  }
  return table;
}

/**
 * Blended RGBA words; alpha, and alpha-0 pixels, copied from the original. A run of identical
 * pixels in one cluster (flat regions) reuses the previous result.
 */
function recolourRgba(analysis: ImageAnalysis, table: Int32Array, target: Buffer): void {
  const { pixels, labels } = analysis;
  // Int32 views keep every word a small integer for the JIT (no uint32 → double boxing).
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const out = new Int32Array(target.buffer, target.byteOffset, words.length);
  let previousWord = 0;
  let previousLabel = -1;
  let previousOut = 0;
  for (let p = 0; p < words.length; p++) {
    const word = words[p]!;
    const label = labels[p]!;
    if (word !== previousWord || label !== previousLabel) {
      previousWord = word;
      previousLabel = label;
      if (label === TRANSPARENT_LABEL) {
        previousOut = word;
      } else {
        const sum = table[label]! + ((word & 0xff) | ((word & 0xff00) << 2) | ((word & 0xff0000) << 4));
        previousOut = ((sum >>> 2) & 0xff) | ((sum >>> 4) & 0xff00) | ((sum >>> 6) & 0xff0000) | (word & 0xff000000);
      }
    }
    out[p] = previousOut;
  }
}

/** Blended RGB bytes, for images without alpha (every pixel is labelled). */
function recolourRgb(analysis: ImageAnalysis, table: Int32Array, out: Buffer): void {
  const { pixels, labels } = analysis;
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  for (let p = 0, d = 0; p < words.length; p++, d += 3) {
    const word = words[p]!;
    const sum = table[labels[p]!]! + ((word & 0xff) | ((word & 0xff00) << 2) | ((word & 0xff0000) << 4));
    out[d] = (sum >>> 2) & 0xff;
    out[d + 1] = (sum >>> 12) & 0xff;
    out[d + 2] = (sum >>> 22) & 0xff;
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
  const table = blendTable(analysis, palette);
  const channels = analysis.hasAlpha ? 4 : 3;
  const raw = rawBuffers.acquire(analysis.width * analysis.height * channels);
  try {
    if (analysis.hasAlpha) recolourRgba(analysis, table, raw);
    else recolourRgb(analysis, table, raw);
    const image = sharp(raw, { raw: { width: analysis.width, height: analysis.height, channels } });
    const bytes = await (format === 'webp' ? image.webp(VARIATION_WEBP_OPTIONS) : image.png(VARIATION_PNG_OPTIONS)).toBuffer();
    return { bytes, contentType: CONTENT_TYPES[format] };
  } finally {
    rawBuffers.release(raw);
  }
}
