/** Deterministic hashing and pseudo-random choices: the same text always gives the same picks. */
import { createPrng } from '../kmeans.js';

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A seeded generator of numbers in [0, 1): the recolour engine's mulberry32, one implementation. */
export const seededRandom = createPrng;

/** One element of a non-empty list, chosen by `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(random() * items.length) % items.length]!;
}
