/**
 * Live progress read through a small cache, so that how often clients poll does not decide how
 * often the worker is asked. Each `getProgress` is a Temporal query: a round trip through the server
 * to the worker, queued behind the run's workflow tasks. Read 1:1 per GET, 200 polls a second of a
 * few running tasks meant 200 queries a second and answers seconds late (docs/performance.md, P4).
 *
 * Here: one query per run at a time, shared by every reader; an answer younger than `freshMs` is
 * reused; an older one (up to `staleMs`) is returned at once while one refresh runs in the
 * background. A reader waits on the worker only for a run it has no answer for yet, and then at
 * most `waitMs`: past that it is refused (the caller shows the row's state) while the query goes on
 * and its answer serves the next read. Progress is advisory (the task row, read on every request,
 * stays the authority on status), so an answer a moment old is what the event stream shows anyway.
 */
import type { Progress } from '../domain/task.js';

export interface ProgressCacheOptions {
  /** Reuse an answer this young without asking (default 500 ms, the event streams' poll interval). */
  freshMs?: number;
  /** Serve an older answer while refreshing, up to this age; older ones are waited for (default 10 s). */
  staleMs?: number;
  /** Longest a reader waits for a run it has no answer for (default 200 ms). */
  waitMs?: number;
  /** Runs remembered at most; the least recently asked go first (default 10 000). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  answer?: { value: Progress | null; at: number };
  inflight?: Promise<Progress | null>;
}

export const PROGRESS_FRESH_MS = 500;
const STALE_MS = 10_000;
const WAIT_MS = 200;

/** A run's progress was not answered within the reader's wait (the query goes on). */
export class ProgressNotReadyError extends Error {
  constructor(waitMs: number) {
    super(`No progress answer within ${waitMs} ms`);
    this.name = 'ProgressNotReadyError';
  }
}
const MAX_ENTRIES = 10_000;

export class ProgressCache {
  private readonly entries = new Map<string, Entry>();
  private readonly freshMs: number;
  private readonly staleMs: number;
  private readonly waitMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly load: (workflowId: string) => Promise<Progress | null>,
    options: ProgressCacheOptions = {},
  ) {
    this.freshMs = options.freshMs ?? PROGRESS_FRESH_MS;
    this.staleMs = Math.max(this.freshMs, options.staleMs ?? STALE_MS);
    this.waitMs = options.waitMs ?? WAIT_MS;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /**
   * The run's progress; rejects when there is no usable answer and the query fails or takes longer
   * than `waitMs` (ProgressNotReadyError).
   */
  get(workflowId: string): Promise<Progress | null> {
    const entry = this.touch(workflowId);
    if (entry.answer) {
      const age = this.now() - entry.answer.at;
      if (age < this.freshMs) return Promise.resolve(entry.answer.value);
      if (age < this.staleMs) {
        // A failed background refresh leaves the older answer in place until it is too old.
        this.refresh(workflowId, entry).catch(() => undefined);
        return Promise.resolve(entry.answer.value);
      }
    }
    return this.withinWait(this.refresh(workflowId, entry));
  }

  private withinWait(answer: Promise<Progress | null>): Promise<Progress | null> {
    let timer: NodeJS.Timeout | undefined;
    const refused = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProgressNotReadyError(this.waitMs)), this.waitMs);
    });
    return Promise.race([answer, refused]).finally(() => clearTimeout(timer));
  }

  private refresh(workflowId: string, entry: Entry): Promise<Progress | null> {
    entry.inflight ??= this.load(workflowId)
      .then((value) => {
        entry.answer = { value, at: this.now() };
        return value;
      })
      .finally(() => {
        entry.inflight = undefined;
      });
    return entry.inflight;
  }

  /** The entry for a run, moved to the back of the eviction order; evicts the oldest past the cap. */
  private touch(workflowId: string): Entry {
    const entry = this.entries.get(workflowId) ?? {};
    this.entries.delete(workflowId);
    this.entries.set(workflowId, entry);
    for (const [key, old] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (!old.inflight) this.entries.delete(key);
    }
    return entry;
  }
}
