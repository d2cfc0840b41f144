/**
 * From colour clusters to regions, and every pixel as a mix of (at most) two regions.
 *
 * - Each cluster has an anchor colour (cluster-stats.ts): its fill colour, or its mean. A flat
 *   region alone on its palette colour becomes exactly that colour.
 * - A cluster is a *region* unless it is an edge: a thin cluster (little interior) whose anchor lies
 *   between the anchors of two bigger regions, i.e. the antialiased blend of two regions. Edges take
 *   no palette colour of their own: they stay blends of their two regions' new colours, so outlines
 *   do not get a halo of some third palette colour.
 * - Every pixel colour x is written as the nearest point on a segment between two region anchors,
 *   A + t·(B − A) with 0 ≤ t ≤ ½, plus what is left over. Recolouring replaces the anchors by palette
 *   colours and keeps the left-over (texture, shading), see recolour.ts.
 * All in sRGB, where antialiasing and gradients mix colours linearly. Deterministic.
 */

/** Clusters with less interior than this may be edges. */
const EDGE_MAX_INTERIOR = 0.5;
/** An edge's anchor lies within max(6, 10 % of the segment) of the segment between two regions. */
const EDGE_DISTANCE = 6;
const EDGE_RELATIVE_DISTANCE = 0.1;
/** Mix weights are stored as t × 128 (0 … 64). */
export const MIX_SCALE = 128;
const COLOUR_CACHE_BITS = 14;

/** Squared distance from point x to the segment a→b, and where on it (t in [0, 1]) the nearest point is. */
function toSegment(x: ArrayLike<number>, xi: number, a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): [number, number] {
  const e0 = b[bi]! - a[ai]!;
  const e1 = b[bi + 1]! - a[ai + 1]!;
  const e2 = b[bi + 2]! - a[ai + 2]!;
  const d0 = x[xi]! - a[ai]!;
  const d1 = x[xi + 1]! - a[ai + 1]!;
  const d2 = x[xi + 2]! - a[ai + 2]!;
  const length2 = e0 * e0 + e1 * e1 + e2 * e2;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, (d0 * e0 + d1 * e1 + d2 * e2) / length2));
  return [(d0 - t * e0) ** 2 + (d1 - t * e1) ** 2 + (d2 - t * e2) ** 2, t];
}

/** Which clusters are regions (true) and which are edges between two bigger regions (false). */
export function chooseRegions(anchors: Float64Array, pixels: ArrayLike<number>, interior: ArrayLike<number>): boolean[] {
  const k = pixels.length;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => pixels[b]! - pixels[a]! || a - b);
  const regions: number[] = [];
  const isRegion = new Array<boolean>(k).fill(true);
  for (const c of order) {
    if (interior[c]! < EDGE_MAX_INTERIOR && isBlendOf(c, regions, anchors)) isRegion[c] = false;
    else regions.push(c);
  }
  return isRegion;
}

function isBlendOf(c: number, regions: number[], anchors: Float64Array): boolean {
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const a = regions[i]! * 3;
      const b = regions[j]! * 3;
      const [distance2] = toSegment(anchors, c * 3, anchors, a, anchors, b);
      const span = Math.hypot(anchors[b]! - anchors[a]!, anchors[b + 1]! - anchors[a + 1]!, anchors[b + 2]! - anchors[a + 2]!);
      const tolerance = Math.max(EDGE_DISTANCE, EDGE_RELATIVE_DISTANCE * span);
      if (distance2 <= tolerance * tolerance) return true;
    }
  }
  return false;
}

/** Mix index of pixels that take no part (alpha 0): they keep their original colour. */
export const TRANSPARENT_MIX = 0xffff;

export interface PixelMixes {
  /** Per pixel, an index into `mixes`, or TRANSPARENT_MIX. */
  mixIndex: Uint16Array;
  /**
   * The distinct blends, packed a | b << 8 | weight << 16: the pixel is region a's anchor moved
   * towards region b's anchor by weight / MIX_SCALE (0 … ½; b = a when 0), plus a left-over.
   */
  mixes: Uint32Array;
  /** Pixels per blend. */
  mixPixels: Uint32Array;
}

/**
 * Pairs of regions a pixel may blend between: those with no third anchor on (or near) the segment
 * between them. A gradient split into several regions then blends step by step along its chain of
 * anchors, never straight from end to end; so neighbouring pixels of a gradient never jump between
 * two different blends. Per pair: a, b, the start anchor, the segment vector and 1 / its length².
 */
interface Pairs {
  count: number;
  ends: Int32Array;
  /** [Ax, Ay, Az, ex, ey, ez, 1/|e|²] per pair. */
  geometry: Float64Array;
}

function blendablePairs(anchors: Float64Array, regions: number): Pairs {
  const ends: number[] = [];
  const geometry: number[] = [];
  for (let a = 0; a < regions; a++) {
    for (let b = a + 1; b < regions; b++) {
      let blocked = false;
      const span = Math.hypot(anchors[b * 3]! - anchors[a * 3]!, anchors[b * 3 + 1]! - anchors[a * 3 + 1]!, anchors[b * 3 + 2]! - anchors[a * 3 + 2]!);
      if (span === 0) continue;
      const tolerance = Math.max(EDGE_DISTANCE, 2 * EDGE_RELATIVE_DISTANCE * span);
      for (let c = 0; c < regions && !blocked; c++) {
        if (c === a || c === b) continue;
        const [distance2, t] = toSegment(anchors, c * 3, anchors, a * 3, anchors, b * 3);
        blocked = t > 0 && t < 1 && distance2 <= tolerance * tolerance;
      }
      if (blocked) continue;
      ends.push(a, b);
      const e = [0, 1, 2].map((i) => anchors[b * 3 + i]! - anchors[a * 3 + i]!);
      geometry.push(anchors[a * 3]!, anchors[a * 3 + 1]!, anchors[a * 3 + 2]!, e[0]!, e[1]!, e[2]!, 1 / (span * span));
    }
  }
  return { count: ends.length / 2, ends: Int32Array.from(ends), geometry: Float64Array.from(geometry) };
}

/** The nearest blend of one colour, packed a | b << 8 | weight << 16. */
function nearestMix(rgb: number, anchors: Float64Array, regions: number, pairs: Pairs): number {
  const x0 = rgb & 0xff;
  const x1 = (rgb >>> 8) & 0xff;
  const x2 = (rgb >>> 16) & 0xff;
  let bestA = 0;
  let bestB = 0;
  let bestT = 0;
  let best = Infinity;
  for (let a = 0; a < regions; a++) {
    const d0 = x0 - anchors[a * 3]!;
    const d1 = x1 - anchors[a * 3 + 1]!;
    const d2 = x2 - anchors[a * 3 + 2]!;
    const d = d0 * d0 + d1 * d1 + d2 * d2;
    if (d < best) {
      best = d;
      bestA = a;
      bestB = a;
      bestT = 0;
    }
  }
  const g = pairs.geometry;
  for (let i = 0, o = 0; i < pairs.count; i++, o += 7) {
    const d0 = x0 - g[o]!;
    const d1 = x1 - g[o + 1]!;
    const d2 = x2 - g[o + 2]!;
    const e0 = g[o + 3]!;
    const e1 = g[o + 4]!;
    const e2 = g[o + 5]!;
    const t = (d0 * e0 + d1 * e1 + d2 * e2) * g[o + 6]!;
    if (t <= 0 || t >= 1) continue;
    const r0 = d0 - t * e0;
    const r1 = d1 - t * e1;
    const r2 = d2 - t * e2;
    const d = r0 * r0 + r1 * r1 + r2 * r2;
    if (d < best) {
      best = d;
      const a = pairs.ends[i * 2]!;
      const b = pairs.ends[i * 2 + 1]!;
      bestA = t <= 0.5 ? a : b;
      bestB = t <= 0.5 ? b : a;
      bestT = t <= 0.5 ? t : 1 - t;
    }
  }
  const weight = Math.round(bestT * MIX_SCALE);
  return weight === 0 ? bestA | (bestA << 8) : bestA | (bestB << 8) | (weight << 16);
}

/** Writes every visible pixel as a blend of two regions (anchors: [R, G, B] × regions). */
export function mixPixels(pixels: Uint32Array, anchors: Float64Array): PixelMixes {
  const words = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  const regions = anchors.length / 3;
  const pairs = blendablePairs(anchors, regions);
  const mixIndex = new Uint16Array(words.length);
  const indexOfMix = new Map<number, number>();
  const mixes: number[] = [];
  let counts = new Uint32Array(64);
  const cacheKey = new Int32Array(1 << COLOUR_CACHE_BITS).fill(-1);
  const cacheIndex = new Uint16Array(1 << COLOUR_CACHE_BITS);
  const n = words.length;
  for (let p = 0; p < n; ) {
    const word = words[p]!;
    let end = p + 1;
    while (end < n && words[end] === word) end++;
    let index = TRANSPARENT_MIX;
    if (word >>> 24 !== 0) {
      const key = word & 0xffffff;
      const slot = Math.imul(key, 0x9e3779b1) >>> (32 - COLOUR_CACHE_BITS);
      if (cacheKey[slot] !== key) {
        cacheKey[slot] = key;
        const mix = nearestMix(key, anchors, regions, pairs);
        let known = indexOfMix.get(mix);
        if (known === undefined) {
          known = mixes.length;
          indexOfMix.set(mix, known);
          mixes.push(mix);
          if (known >= counts.length) {
            const grown = new Uint32Array(counts.length * 2);
            grown.set(counts);
            counts = grown;
          }
        }
        cacheIndex[slot] = known;
      }
      index = cacheIndex[slot]!;
      counts[index] = counts[index]! + (end - p);
    }
    for (let q = p; q < end; q++) mixIndex[q] = index;
    p = end;
  }
  return { mixIndex, mixes: Uint32Array.from(mixes), mixPixels: counts.slice(0, mixes.length) };
}
