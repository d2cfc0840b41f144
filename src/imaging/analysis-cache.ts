/**
 * A small in-process LRU of image analyses keyed by the SHA-256 of the image bytes. It holds the
 * promise, so concurrent variation activities of one run on one worker share a single analysis
 * instead of each decoding and clustering the same image. Failed analyses are not kept.
 */
import { analyzeImageBytes, hashImageBytes, type ImageAnalysis } from './image-analysis.js';

export const ANALYSIS_CACHE_ENTRIES = 4;
/** Upper bound on cached pixels (~6 bytes each: RGBA word + 16-bit blend index): the newest entry is always kept, older ones go first. */
export const ANALYSIS_CACHE_PIXELS = 32 * 1024 * 1024;

interface Entry {
  analysis: Promise<ImageAnalysis>;
  /** Known once the analysis has resolved; 0 until then. */
  pixels: number;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = ANALYSIS_CACHE_ENTRIES,
    private readonly maxPixels = ANALYSIS_CACHE_PIXELS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async analyze(bytes: Uint8Array): Promise<ImageAnalysis> {
    const key = hashImageBytes(bytes);
    const cached = this.entries.get(key);
    if (cached) {
      // Re-insert: Map iteration order is insertion order, so this marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.analysis;
    }
    const entry: Entry = { analysis: analyzeImageBytes(bytes, {}, key), pixels: 0 };
    this.entries.set(key, entry);
    this.evict();
    try {
      const analysis = await entry.analysis;
      entry.pixels = analysis.width * analysis.height;
      this.evict();
      return analysis;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    let pixels = 0;
    for (const entry of this.entries.values()) pixels += entry.pixels;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= 1) break;
      if (this.entries.size <= this.maxEntries && pixels <= this.maxPixels) break;
      this.entries.delete(key);
      pixels -= entry.pixels;
    }
  }
}
