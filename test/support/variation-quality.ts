/**
 * How far apart palette variations of one logo are, measured the way the quality benchmark and the
 * variation tests both need it (issue 11):
 * - per-pixel CIE76 ΔE between two images, on 64 × 64 downscales (flattened onto white), averaged;
 * - "collapsed" region pairs: two main regions of the base that are clearly distinct there
 *   (ΔE ≥ DISTINCT_IN_BASE between their mean colours) whose mean colours in a variation are closer
 *   than COLLAPSED_BELOW. Regions are the base's colour clusters (the engine's own analysis of the
 *   base), counted only by their interior pixels (every pixel 2 px around has the same cluster), and
 *   only when that interior covers at least MIN_REGION_SHARE of the image. Colours are measured on
 *   the variation's decoded pixels, not read from the mapping;
 * - lightness flips: two main regions ≥ 10 L* apart in the base whose order a variation reverses.
 */
import sharp from 'sharp';
import { srgbToLab } from '../../src/imaging/lab.js';
import { analyzeImageBytes, mainRegions } from '../../src/imaging/image-analysis.js';

export const DOWNSCALE = 64;
export const DISTINCT_IN_BASE = 15;
export const COLLAPSED_BELOW = 10;
export const MIN_REGION_SHARE = 0.005;
const INTERIOR_RADIUS = 2;

/** Lab per pixel ([L, a, b] × n) of an image downscaled to 64 × 64 over white. */
export async function downscaledLab(png: Uint8Array, size = DOWNSCALE): Promise<Float64Array> {
  const raw = await sharp(png).flatten({ background: '#ffffff' }).resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  return rawToLab(raw, size * size, 3);
}

function rawToLab(raw: Uint8Array, pixels: number, channels: number): Float64Array {
  const lab = new Float64Array(pixels * 3);
  for (let p = 0; p < pixels; p++) srgbToLab(raw[p * channels]!, raw[p * channels + 1]!, raw[p * channels + 2]!, lab, p * 3);
  return lab;
}

export function deltaE(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  return Math.hypot(a[ai]! - b[bi]!, a[ai + 1]! - b[bi + 1]!, a[ai + 2]! - b[bi + 2]!);
}

/** Mean per-pixel ΔE76 of two Lab images of the same size. */
export function meanDeltaE(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  const n = a.length / 3;
  for (let p = 0; p < n; p++) sum += deltaE(a, p * 3, b, p * 3);
  return sum / n;
}

export interface BaseRegions {
  width: number;
  height: number;
  /** Interior pixel indices per main region. */
  interiors: Uint32Array[];
  /** Mean Lab per region in the base. */
  baseLab: Float64Array;
}

/** The base image's main regions (see the file comment). */
export async function findBaseRegions(basePng: Uint8Array): Promise<BaseRegions> {
  const analysis = await analyzeImageBytes(basePng);
  const { width, height } = analysis;
  const labels = mainRegions(analysis);
  const buckets: number[][] = Array.from({ length: analysis.clusterCount }, () => []);
  // The engine's regions, as the nearer end of each pixel's blend.
  const r = INTERIOR_RADIUS;
  for (let y = r; y < height - r; y++) {
    for (let x = r; x < width - r; x++) {
      const p = y * width + x;
      const label = labels[p]!;
      if (label === 255) continue;
      if (labels[p - r] !== label || labels[p + r] !== label || labels[p - r * width] !== label || labels[p + r * width] !== label) continue;
      if (labels[p - r * width - r] !== label || labels[p + r * width + r] !== label) continue;
      buckets[label]!.push(p);
    }
  }
  const minimum = MIN_REGION_SHARE * width * height;
  const interiors = buckets.filter((b) => b.length >= minimum).map((b) => Uint32Array.from(b));
  return { width, height, interiors, baseLab: await regionColours(basePng, { width, height, interiors }) };
}

/** Mean Lab of each region's interior pixels in an image of the base's size. */
export async function regionColours(png: Uint8Array, regions: Pick<BaseRegions, 'width' | 'height' | 'interiors'>): Promise<Float64Array> {
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== regions.width || info.height !== regions.height) throw new Error('variation size differs from the base');
  const out = new Float64Array(regions.interiors.length * 3);
  const lab = new Float64Array(3);
  const toLab = labCache();
  regions.interiors.forEach((pixels, region) => {
    let l = 0;
    let a = 0;
    let b = 0;
    for (const p of pixels) {
      toLab(data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!, lab);
      l += lab[0]!;
      a += lab[1]!;
      b += lab[2]!;
    }
    out.set([l / pixels.length, a / pixels.length, b / pixels.length], region * 3);
  });
  return out;
}

export interface Collapse {
  regions: [number, number];
  baseDeltaE: number;
  variationDeltaE: number;
}

/** Region pairs distinct in the base (ΔE ≥ 15) but closer than ΔE 10 in the variation. */
export function collapsedPairs(baseLab: Float64Array, variationLab: Float64Array): Collapse[] {
  const out: Collapse[] = [];
  const n = baseLab.length / 3;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const baseDeltaE = deltaE(baseLab, i * 3, baseLab, j * 3);
      if (baseDeltaE < DISTINCT_IN_BASE) continue;
      const variationDeltaE = deltaE(variationLab, i * 3, variationLab, j * 3);
      if (variationDeltaE < COLLAPSED_BELOW) out.push({ regions: [i, j], baseDeltaE, variationDeltaE });
    }
  }
  return out;
}

/** Region pairs at least ORDERED_L apart in L* in the base whose lightness order a variation reverses. */
export const ORDERED_L = 10;

export function lightnessFlips(baseLab: Float64Array, variationLab: Float64Array): number {
  let flips = 0;
  const n = baseLab.length / 3;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (baseLab[i * 3]! - baseLab[j * 3]! >= ORDERED_L && variationLab[i * 3]! < variationLab[j * 3]!) flips++;
    }
  }
  return flips;
}

/** Lab of a packed RGB colour, memoised (logos have few distinct colours). */
function labCache(): (r: number, g: number, b: number, out: Float64Array, offset?: number) => void {
  const cache = new Map<number, Float64Array>();
  return (r, g, b, out, offset = 0) => {
    const key = (r << 16) | (g << 8) | b;
    let lab = cache.get(key);
    if (!lab) {
      lab = new Float64Array(3);
      srgbToLab(r, g, b, lab);
      cache.set(key, lab);
    }
    out.set(lab, offset);
  };
}

/** How many of the palette's colours cover at least `share` of the image (pixels within ΔE 3 of the colour). */
export async function paletteColoursShown(png: Uint8Array, palette: readonly string[], share = MIN_REGION_SHARE): Promise<number> {
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Float64Array(palette.length * 3);
  palette.forEach((hex, i) => {
    const v = parseInt(hex.slice(1), 16);
    srgbToLab(v >> 16, (v >> 8) & 0xff, v & 0xff, colours, i * 3);
  });
  const toLab = labCache();
  const counts = new Uint32Array(palette.length);
  const lab = new Float64Array(3);
  const pixels = info.width * info.height;
  for (let p = 0; p < pixels; p++) {
    toLab(data[p * 3]!, data[p * 3 + 1]!, data[p * 3 + 2]!, lab);
    for (let c = 0; c < palette.length; c++) if (deltaE(lab, 0, colours, c * 3) < 3) counts[c]!++;
  }
  return [...counts].filter((n) => n >= share * pixels).length;
}

export interface RunQuality {
  meanPair: number;
  minPair: number;
  meanFromBase: number;
  collapsed: number;
  /** Region pairs of the base that count (distinct there), per variation. */
  distinctPairs: number;
  /** Lightness order reversals between main regions (see lightnessFlips), summed over variations. */
  flips: number;
}

/** All the figures for one run: a base image and its variations. */
export async function measureRun(basePng: Uint8Array, variations: readonly Uint8Array[]): Promise<RunQuality> {
  const base = await downscaledLab(basePng);
  const small = await Promise.all(variations.map((v) => downscaledLab(v)));
  const pairs: number[] = [];
  for (let i = 0; i < small.length; i++) for (let j = i + 1; j < small.length; j++) pairs.push(meanDeltaE(small[i]!, small[j]!));
  const fromBase = small.map((v) => meanDeltaE(v, base));
  const regions = await findBaseRegions(basePng);
  let collapsed = 0;
  let flips = 0;
  for (const v of variations) {
    const colours = await regionColours(v, regions);
    collapsed += collapsedPairs(regions.baseLab, colours).length;
    flips += lightnessFlips(regions.baseLab, colours);
  }
  const n = regions.baseLab.length / 3;
  let distinctPairs = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (deltaE(regions.baseLab, i * 3, regions.baseLab, j * 3) >= DISTINCT_IN_BASE) distinctPairs++;
  return {
    meanPair: pairs.length ? pairs.reduce((a, b) => a + b, 0) / pairs.length : 0,
    minPair: pairs.length ? Math.min(...pairs) : 0,
    meanFromBase: fromBase.reduce((a, b) => a + b, 0) / Math.max(1, fromBase.length),
    collapsed,
    distinctPairs,
    flips,
  };
}
