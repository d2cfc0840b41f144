/**
 * Which palette colour each region (or merged group of regions) of an image becomes.
 *
 * Regions and palette colours are both ordered by lightness (L*), and the mapping is *monotone*: a
 * lighter region never gets a darker colour than a darker region, so the lightness structure of
 * the logo is kept. Among the monotone mappings we take the one with the lowest cost:
 * - **fit**: each region's relative lightness (0 darkest … 1 lightest within the image) against its
 *   colour's relative lightness within the palette, squared, weighted by pixel share (+ a floor, so
 *   small regions count too) — big regions get the colour that fits their lightness best;
 * - **collapse**: two regions that are clearly different in the image (ΔE76 ≥ 15) but would get the
 *   same colour or two colours closer than ΔE 10 cost far more than any fit, so distinct regions
 *   stay distinct whenever the palette allows it (with more distinct regions than distinct colours
 *   the smallest regions give way first); colours 10–18 apart cost a little, so clearer
 *   separations win when the fit allows;
 * - **show the palette**: every palette colour not shown (on at least 1 % of the image) costs a
 *   little, so the regions spread over the palette and a variation looks like its palette.
 * The search is exhaustive: with at most 10 regions and 5 colours there are at most 1001 monotone
 * mappings, enumerated depth first with pruning. Ties go to the first mapping found (deterministic).
 */

/** Below this L* spread, relative lightness is meaningless and absolute L* is compared instead. */
const MIN_LIGHTNESS_RANGE = 4;
/** Added to every region's pixel share so tiny regions still prefer a fitting colour. */
const MIN_WEIGHT = 0.02;
/** Regions at least this far apart (ΔE76) in the image are "clearly different". */
export const DISTINCT_REGIONS = 15;
/** … and must stay at least this far apart in the variation (closer: collapsed) … */
export const SEPARATED_COLOURS = 10;
/** … and preferably this far. */
const CLEARLY_SEPARATED_COLOURS = 18;
const COLLAPSE_COST = 0.5;
const COLLAPSE_SHARE_COST = 4;
const COLLAPSE_DEPTH_COST = 0.2;
const CLOSENESS_COST = 0.05;
const UNUSED_COLOUR_COST = 0.004;
/** A colour counts as shown when its regions cover this share of the image (not just a few edge pixels). */
const SHOWN_SHARE = 0.01;

/**
 * Cost of two clearly different regions ending up `distance` apart: far above any fit cost below
 * SEPARATED_COLOURS (the closer, the worse; bigger regions worse), a little up to CLEARLY_SEPARATED_COLOURS.
 */
function closenessCost(distance: number, smallerWeight: number): number {
  if (distance < SEPARATED_COLOURS) {
    return COLLAPSE_COST + COLLAPSE_SHARE_COST * smallerWeight + (COLLAPSE_DEPTH_COST * (SEPARATED_COLOURS - distance)) / SEPARATED_COLOURS;
  }
  if (distance < CLEARLY_SEPARATED_COLOURS) {
    return (CLOSENESS_COST * (CLEARLY_SEPARATED_COLOURS - distance)) / (CLEARLY_SEPARATED_COLOURS - SEPARATED_COLOURS);
  }
  return 0;
}

/** Indices 0..n-1 sorted by L* ascending, ties by index (a total, deterministic order). */
function orderByLightness(lab: Float64Array): number[] {
  return Array.from({ length: lab.length / 3 }, (_, i) => i).sort((a, b) => lab[a * 3]! - lab[b * 3]! || a - b);
}

/** Positions in [0, 1]: relative lightness within the set, or absolute L* ÷ 100 when `absolute`. */
function positions(lab: Float64Array, order: number[], absolute: boolean): Float64Array {
  const min = lab[order[0]! * 3]!;
  const range = lab[order[order.length - 1]! * 3]! - min;
  return Float64Array.from(order, (index) => (absolute ? lab[index * 3]! / 100 : (lab[index * 3]! - min) / range));
}

function lightnessRange(lab: Float64Array, order: number[]): number {
  return order.length === 0 ? 0 : lab[order[order.length - 1]! * 3]! - lab[order[0]! * 3]!;
}

/** ΔE76 between every pair of the (reordered) colours, n × n. */
function distances(lab: Float64Array, order: number[]): Float64Array {
  const n = order.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = order[i]! * 3;
      const b = order[j]! * 3;
      out[i * n + j] = Math.hypot(lab[a]! - lab[b]!, lab[a + 1]! - lab[b + 1]!, lab[a + 2]! - lab[b + 2]!);
    }
  }
  return out;
}

/**
 * Returns, for each region, the index of its palette colour.
 * @param regionLab Lab per region, [L, a, b] × regions
 * @param regionPixels pixel count per region (weights)
 * @param paletteLab Lab per palette colour (at least one)
 */
export function assignPaletteColors(regionLab: Float64Array, regionPixels: ArrayLike<number>, paletteLab: Float64Array): Int32Array {
  const regions = regionPixels.length;
  const colors = paletteLab.length / 3;
  const result = new Int32Array(regions);
  if (regions === 0) return result;
  if (colors === 0) throw new Error('assignPaletteColors needs at least one palette colour');

  const regionOrder = orderByLightness(regionLab);
  const colorOrder = orderByLightness(paletteLab);
  const absolute = lightnessRange(regionLab, regionOrder) < MIN_LIGHTNESS_RANGE || lightnessRange(paletteLab, colorOrder) < MIN_LIGHTNESS_RANGE;
  const x = positions(regionLab, regionOrder, absolute);
  const y = positions(paletteLab, colorOrder, absolute);
  let totalPixels = 0;
  for (let i = 0; i < regions; i++) totalPixels += regionPixels[i]!;
  const weight = regionOrder.map((index) => (totalPixels > 0 ? regionPixels[index]! / totalPixels : 0) + MIN_WEIGHT);
  const regionDistance = distances(regionLab, regionOrder);
  const colorDistance = distances(paletteLab, colorOrder);

  // Cost of giving region (rank) i the colour (rank) s, given the colours of regions 0 … i−1.
  const slots = new Int32Array(regions);
  const bestSlots = new Int32Array(regions);
  let best = Infinity;
  const stepCost = (i: number, s: number): number => {
    let cost = weight[i]! * (x[i]! - y[s]!) ** 2;
    for (let j = 0; j < i; j++) {
      if (regionDistance[j * regions + i]! >= DISTINCT_REGIONS) cost += closenessCost(colorDistance[slots[j]! * colors + s]!, Math.min(weight[i]!, weight[j]!));
    }
    return cost;
  };
  // Colours covering at least SHOWN_SHARE of the image under the current slots.
  const shown = (): number => {
    const share = new Float64Array(colors);
    for (let j = 0; j < regions; j++) share[slots[j]!] = share[slots[j]!]! + weight[j]! - MIN_WEIGHT;
    return share.reduce((n, s) => n + (s >= SHOWN_SHARE ? 1 : 0), 0);
  };
  const search = (i: number, from: number, cost: number): void => {
    if (cost >= best) return;
    if (i === regions) {
      const total = cost + (colors - shown()) * UNUSED_COLOUR_COST;
      if (total < best) {
        best = total;
        bestSlots.set(slots);
      }
      return;
    }
    for (let s = from; s < colors; s++) {
      slots[i] = s;
      search(i + 1, s, cost + stepCost(i, s));
    }
  };
  search(0, 0, 0);
  regionOrder.forEach((index, rank) => {
    result[index] = colorOrder[bestSlots[rank]!]!;
  });
  return result;
}
