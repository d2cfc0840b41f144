/**
 * Deterministic weighted k-means on 3-D points (Lab colours): k-means++ seeding driven by a seeded
 * PRNG, then Lloyd iterations. A point's weight is how many pixels share that colour, so clustering
 * the distinct colours of a sample with their counts equals clustering the sample itself.
 * No Math.random: the same points, weights, k and seed give the same centroids.
 */

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points as [x0, y0, z0, x1, …] with one positive weight per point. */
export interface WeightedPoints {
  coords: Float64Array;
  weights: Float64Array;
  count: number;
}

export interface KMeansOptions {
  seed: number;
  maxIterations?: number;
}

const DEFAULT_MAX_ITERATIONS = 50;

function squaredDistance(coords: Float64Array, i: number, centroids: Float64Array, c: number): number {
  const dl = coords[i * 3]! - centroids[c * 3]!;
  const da = coords[i * 3 + 1]! - centroids[c * 3 + 1]!;
  const db = coords[i * 3 + 2]! - centroids[c * 3 + 2]!;
  return dl * dl + da * da + db * db;
}

/** Index of the first point where the running sum of `mass` exceeds `target` (the last positive one at worst). */
function pickByMass(mass: Float64Array, count: number, target: number): number {
  let pick = -1;
  let cumulative = 0;
  for (let i = 0; i < count; i++) {
    const m = mass[i]!;
    if (m <= 0) continue;
    cumulative += m;
    pick = i;
    if (cumulative > target) break;
  }
  return pick;
}

/**
 * Weighted k-means++ seeding: the first centre with probability ∝ weight, each next one ∝ weight ×
 * squared distance to the nearest chosen centre. Stops early when every point coincides with a
 * centre (fewer distinct colours than k), so the result may hold fewer than k centres.
 */
export function seedCentroids(points: WeightedPoints, k: number, random: () => number): Float64Array {
  const { coords, weights, count } = points;
  if (count === 0 || k <= 0) return new Float64Array(0);
  const centroids = new Float64Array(k * 3);
  let totalWeight = 0;
  for (let i = 0; i < count; i++) totalWeight += weights[i]!;
  const first = pickByMass(weights, count, random() * totalWeight);
  centroids.set(coords.subarray(first * 3, first * 3 + 3), 0);
  const mass = new Float64Array(count);
  for (let i = 0; i < count; i++) mass[i] = weights[i]! * squaredDistance(coords, i, centroids, 0);
  let chosen = 1;
  while (chosen < k) {
    let total = 0;
    for (let i = 0; i < count; i++) total += mass[i]!;
    if (total <= 0) break;
    const pick = pickByMass(mass, count, random() * total);
    centroids.set(coords.subarray(pick * 3, pick * 3 + 3), chosen * 3);
    for (let i = 0; i < count; i++) {
      const m = weights[i]! * squaredDistance(coords, i, centroids, chosen);
      if (m < mass[i]!) mass[i] = m;
    }
    chosen++;
  }
  return centroids.slice(0, chosen * 3);
}

/** Index of the centroid nearest to point `i` (lowest index wins ties). */
export function nearestCentroid(coords: Float64Array, i: number, centroids: Float64Array, k: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < k; c++) {
    const d = squaredDistance(coords, i, centroids, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/**
 * Fits weighted k-means and returns the centroids as [x0, y0, z0, …] (at most k of them).
 * Iterates until no point changes cluster or `maxIterations`; a centroid that loses all its points
 * keeps its position.
 */
export function fitKMeans(points: WeightedPoints, k: number, options: KMeansOptions): Float64Array {
  const { coords, weights, count } = points;
  const centroids = seedCentroids(points, k, createPrng(options.seed));
  const clusters = centroids.length / 3;
  if (clusters <= 1) return centroids;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const assignment = new Int32Array(count).fill(-1);
  const sums = new Float64Array(clusters * 3);
  const mass = new Float64Array(clusters);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < count; i++) {
      const c = nearestCentroid(coords, i, centroids, clusters);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed++;
      }
      const w = weights[i]!;
      sums[c * 3] = sums[c * 3]! + w * coords[i * 3]!;
      sums[c * 3 + 1] = sums[c * 3 + 1]! + w * coords[i * 3 + 1]!;
      sums[c * 3 + 2] = sums[c * 3 + 2]! + w * coords[i * 3 + 2]!;
      mass[c] = mass[c]! + w;
    }
    if (changed === 0) break;
    for (let c = 0; c < clusters; c++) {
      const m = mass[c]!;
      if (m === 0) continue;
      centroids[c * 3] = sums[c * 3]! / m;
      centroids[c * 3 + 1] = sums[c * 3 + 1]! / m;
      centroids[c * 3 + 2] = sums[c * 3 + 2]! / m;
    }
  }
  return centroids;
}
