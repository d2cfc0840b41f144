/**
 * Reduces the clusters of an image analysis to fewer groups (Ward's criterion on the Lab centroids,
 * weighted by pixel count), so a small palette sees k = 2 × palette size clusters without
 * re-clustering the pixels. Deterministic: ties go to the lowest cluster indices.
 */

export interface ClusterGroups {
  /** Group index of each original cluster. */
  groupOf: Uint8Array;
  /** Lab centroid of each group, [L, a, b] per group. */
  lab: Float64Array;
  /** Pixel count of each group. */
  pixels: Float64Array;
}

/** Merges clusters (Lab centroids + pixel counts) until at most `target` groups remain. */
export function mergeClusters(lab: Float64Array, pixels: ArrayLike<number>, target: number): ClusterGroups {
  const clusters = pixels.length;
  const groupLab = Float64Array.from(lab.subarray(0, clusters * 3));
  const groupPixels = Float64Array.from(pixels);
  const parent = Int32Array.from({ length: clusters }, (_, i) => i);
  const active = Array.from({ length: clusters }, () => true);
  let remaining = clusters;

  while (remaining > Math.max(1, target)) {
    let bestCost = Infinity;
    let keep = -1;
    let absorb = -1;
    for (let a = 0; a < clusters; a++) {
      if (!active[a]) continue;
      for (let b = a + 1; b < clusters; b++) {
        if (!active[b]) continue;
        const na = groupPixels[a]!;
        const nb = groupPixels[b]!;
        const dl = groupLab[a * 3]! - groupLab[b * 3]!;
        const da = groupLab[a * 3 + 1]! - groupLab[b * 3 + 1]!;
        const db = groupLab[a * 3 + 2]! - groupLab[b * 3 + 2]!;
        const sum = na + nb;
        const cost = (sum > 0 ? (na * nb) / sum : 0) * (dl * dl + da * da + db * db);
        if (cost < bestCost) {
          bestCost = cost;
          keep = a;
          absorb = b;
        }
      }
    }
    const na = groupPixels[keep]!;
    const nb = groupPixels[absorb]!;
    const total = na + nb;
    for (let c = 0; c < 3; c++) {
      const merged = total > 0 ? (groupLab[keep * 3 + c]! * na + groupLab[absorb * 3 + c]! * nb) / total : groupLab[keep * 3 + c]!;
      groupLab[keep * 3 + c] = merged;
    }
    groupPixels[keep] = total;
    active[absorb] = false;
    for (let i = 0; i < clusters; i++) if (parent[i] === absorb) parent[i] = keep;
    remaining--;
  }

  const groupIndex = new Int32Array(clusters).fill(-1);
  let groups = 0;
  for (let i = 0; i < clusters; i++) if (active[i]) groupIndex[i] = groups++;
  const result: ClusterGroups = {
    groupOf: new Uint8Array(clusters),
    lab: new Float64Array(groups * 3),
    pixels: new Float64Array(groups),
  };
  for (let i = 0; i < clusters; i++) {
    result.groupOf[i] = groupIndex[parent[i]!]!;
    if (active[i]) {
      const g = groupIndex[i]!;
      result.lab.set(groupLab.subarray(i * 3, i * 3 + 3), g * 3);
      result.pixels[g] = groupPixels[i]!;
    }
  }
  return result;
}
