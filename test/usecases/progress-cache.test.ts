/**
 * ProgressCache: however many readers poll, each run is queried at most once at a time, a young
 * answer is reused, an older one is served while one refresh runs, and a too-old one is waited for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressCache, ProgressNotReadyError } from '../../src/usecases/progress-cache.js';
import { initialProgress, type Progress } from '../../src/domain/task.js';

const at = (percent: number): Progress => ({ ...initialProgress(), step: 'variations', percent });

/** A loader whose answers the test releases one by one, counting the queries made. */
function controlledLoader() {
  const pending: { resolve: (p: Progress | null) => void; reject: (err: Error) => void }[] = [];
  const calls: string[] = [];
  return {
    calls,
    load: (workflowId: string) =>
      new Promise<Progress | null>((resolve, reject) => {
        calls.push(workflowId);
        pending.push({ resolve, reject });
      }),
    answer(value: Progress | null) {
      pending.shift()!.resolve(value);
    },
    fail(message: string) {
      pending.shift()!.reject(new Error(message));
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ProgressCache', () => {
  it('asks once for any number of concurrent readers of a run, and once per run', async () => {
    const loader = controlledLoader();
    const cache = new ProgressCache(loader.load, { freshMs: 500, now: () => 0 });
    const readers = Array.from({ length: 20 }, () => cache.get('wf-a'));
    const other = cache.get('wf-b');
    assert.deepEqual(loader.calls, ['wf-a', 'wf-b']);
    loader.answer(at(50));
    loader.answer(at(10));
    for (const value of await Promise.all(readers)) assert.equal(value?.percent, 50);
    assert.equal((await other)?.percent, 10);
  });

  it('reuses a fresh answer, serves an older one at once while refreshing, and waits for a too-old one', async () => {
    const loader = controlledLoader();
    let now = 0;
    const cache = new ProgressCache(loader.load, { freshMs: 500, staleMs: 5_000, waitMs: 60_000, now: () => now });
    const first = cache.get('wf');
    loader.answer(at(10));
    assert.equal((await first)?.percent, 10);

    now = 400;
    assert.equal((await cache.get('wf'))?.percent, 10);
    assert.equal(loader.calls.length, 1, 'fresh: no query');

    now = 900;
    assert.equal((await cache.get('wf'))?.percent, 10, 'stale: the older answer at once');
    assert.equal((await cache.get('wf'))?.percent, 10);
    assert.equal(loader.calls.length, 2, 'one background refresh for both reads');
    loader.answer(at(60));
    await tick();
    assert.equal((await cache.get('wf'))?.percent, 60, 'the refreshed answer');

    now = 900 + 5_000;
    const waited = cache.get('wf');
    assert.equal(loader.calls.length, 3);
    let settled = false;
    void waited.then(() => (settled = true));
    await tick();
    assert.equal(settled, false, 'a too-old answer is not served');
    loader.answer(at(90));
    assert.equal((await waited)?.percent, 90);
  });

  it('rejects when it has no answer and the query fails; keeps the older answer when a refresh fails', async () => {
    const loader = controlledLoader();
    let now = 0;
    const cache = new ProgressCache(loader.load, { freshMs: 500, staleMs: 5_000, now: () => now });
    const failing = cache.get('wf');
    loader.fail('deadline exceeded');
    await assert.rejects(failing, /deadline exceeded/);

    const ok = cache.get('wf');
    loader.answer(at(20));
    assert.equal((await ok)?.percent, 20);
    now = 1_000;
    assert.equal((await cache.get('wf'))?.percent, 20);
    assert.equal(loader.calls.length, 3, 'a background refresh');
    loader.fail('worker busy');
    await tick();
    assert.equal((await cache.get('wf'))?.percent, 20, 'still the older answer');
    assert.equal(loader.calls.length, 4, 'and the next read tries again');
  });

  it('refuses a reader after waitMs when the run has no answer yet, and serves the late answer next', async () => {
    const loader = controlledLoader();
    const cache = new ProgressCache(loader.load, { freshMs: 500, waitMs: 20, now: () => 0 });
    const started = performance.now();
    await assert.rejects(cache.get('wf'), ProgressNotReadyError);
    assert.ok(performance.now() - started < 1_000);
    loader.answer(at(40));
    await tick();
    assert.equal((await cache.get('wf'))?.percent, 40);
    assert.equal(loader.calls.length, 1, 'the late answer was kept, not asked again');
  });

  it('remembers a bounded number of runs', async () => {
    const loader = controlledLoader();
    const cache = new ProgressCache(loader.load, { freshMs: 500, maxEntries: 2, now: () => 0 });
    for (const id of ['a', 'b', 'c']) {
      const read = cache.get(id);
      loader.answer(at(1));
      await read;
    }
    const again = cache.get('a');
    assert.equal(loader.calls.length, 4, 'the oldest run was forgotten and is asked again');
    loader.answer(at(2));
    await again;
    await cache.get('c');
    assert.equal(loader.calls.length, 4, 'a remembered run is not');
  });
});
