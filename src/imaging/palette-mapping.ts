/**
 * Which palette colour each colour cluster becomes.
 *
 * Clusters and palette colours are both ordered by lightness (L*), and clusters are assigned to
 * colours by a monotone mapping: a lighter cluster never gets a darker colour than a darker
 * cluster. Among the monotone mappings we take the one whose colours best match the clusters'
 * relative lightness, weighted by pixel share (big regions get the best fit), with two rules:
 * - at least as many clusters as colours → every palette colour is used (darkest cluster gets the
 *   darkest colour, lightest the lightest, the rest spread in between);
 * - fewer clusters than colours → every cluster gets its own colour.
 * Found exactly by dynamic programming (k ≤ 10, palette ≤ 5: at most 50 states).
 */

/** Below this L* spread, relative lightness is meaningless and absolute L* is compared instead. */
const MIN_LIGHTNESS_RANGE = 4;
/** Added to every cluster's pixel share so tiny clusters (antialiased edges) still prefer a fitting colour. */
const MIN_WEIGHT = 0.02;

/** Indices 0..n-1 sorted by value ascending, ties by index (a total, deterministic order). */
function orderByValue(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
}

function lightnessRange(values: ArrayLike<number>): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return values.length === 0 ? 0 : max - min;
}

/** Positions in [0, 1]: relative lightness within the set, or absolute L* ÷ 100 when `absolute`. */
function positions(values: ArrayLike<number>, order: number[], absolute: boolean): Float64Array {
  const out = new Float64Array(order.length);
  const min = values[order[0]!]!;
  const range = values[order[order.length - 1]!]! - min;
  order.forEach((index, rank) => {
    out[rank] = absolute ? values[index]! / 100 : (values[index]! - min) / range;
  });
  return out;
}

/**
 * Returns, for each cluster, the index of its palette colour.
 * @param clusterLightness L* per cluster
 * @param clusterPixels pixel count per cluster (weights)
 * @param paletteLightness L* per palette colour (at least one)
 */
export function assignPaletteColors(
  clusterLightness: ArrayLike<number>,
  clusterPixels: ArrayLike<number>,
  paletteLightness: ArrayLike<number>,
): Int32Array {
  const clusters = clusterLightness.length;
  const colors = paletteLightness.length;
  const result = new Int32Array(clusters);
  if (clusters === 0) return result;
  if (colors === 0) throw new Error('assignPaletteColors needs at least one palette colour');

  const clusterOrder = orderByValue(clusterLightness);
  const colorOrder = orderByValue(paletteLightness);
  const absolute =
    lightnessRange(clusterLightness) < MIN_LIGHTNESS_RANGE || lightnessRange(paletteLightness) < MIN_LIGHTNESS_RANGE;
  const x = positions(clusterLightness, clusterOrder, absolute);
  const y = positions(paletteLightness, colorOrder, absolute);
  let totalPixels = 0;
  for (let i = 0; i < clusters; i++) totalPixels += clusterPixels[i]!;
  const weight = clusterOrder.map((index) => (totalPixels > 0 ? clusterPixels[index]! / totalPixels : 0) + MIN_WEIGHT);
  const cost = (rank: number, slot: number) => weight[rank]! * (x[rank]! - y[slot]!) ** 2;

  const slots = clusters >= colors ? spreadOverEveryColor(clusters, colors, cost) : distinctColors(clusters, colors, cost);
  clusterOrder.forEach((index, rank) => {
    result[index] = colorOrder[slots[rank]!]!;
  });
  return result;
}

type Cost = (rank: number, slot: number) => number;

/** Non-decreasing, onto: rank 0 → slot 0, last rank → last slot, each step stays or moves up one slot. */
function spreadOverEveryColor(clusters: number, colors: number, cost: Cost): Int32Array {
  const best = new Float64Array(clusters * colors).fill(Infinity);
  const movedUp = new Uint8Array(clusters * colors);
  best[0] = cost(0, 0);
  for (let i = 1; i < clusters; i++) {
    for (let s = 0; s < colors; s++) {
      const stay = best[(i - 1) * colors + s]!;
      const up = s > 0 ? best[(i - 1) * colors + s - 1]! : Infinity;
      const previous = Math.min(stay, up);
      if (previous === Infinity) continue;
      best[i * colors + s] = previous + cost(i, s);
      movedUp[i * colors + s] = up < stay ? 1 : 0;
    }
  }
  const slots = new Int32Array(clusters);
  let slot = colors - 1;
  for (let i = clusters - 1; i >= 0; i--) {
    slots[i] = slot;
    if (i > 0 && movedUp[i * colors + slot] === 1) slot--;
  }
  return slots;
}

/** Strictly increasing: each cluster its own colour, skipped colours allowed. */
function distinctColors(clusters: number, colors: number, cost: Cost): Int32Array {
  const best = new Float64Array(clusters * colors).fill(Infinity);
  const from = new Int32Array(clusters * colors).fill(-1);
  for (let s = 0; s < colors; s++) best[s] = cost(0, s);
  for (let i = 1; i < clusters; i++) {
    for (let s = i; s < colors; s++) {
      let previous = Infinity;
      for (let p = 0; p < s; p++) {
        const candidate = best[(i - 1) * colors + p]!;
        if (candidate < previous) {
          previous = candidate;
          from[i * colors + s] = p;
        }
      }
      if (previous !== Infinity) best[i * colors + s] = previous + cost(i, s);
    }
  }
  let slot = 0;
  for (let s = 1; s < colors; s++) if (best[(clusters - 1) * colors + s]! < best[(clusters - 1) * colors + slot]!) slot = s;
  const slots = new Int32Array(clusters);
  for (let i = clusters - 1; i >= 0; i--) {
    slots[i] = slot;
    slot = from[i * colors + slot]!;
  }
  return slots;
}
