/**
 * R7 storage fault: while runs are in flight — from the moment the first of them is storing its
 * base image or making variations — the object store's directory (DATA_DIR/storage) becomes
 * read-only for a few seconds — in a way that really fails writes, also for root (see
 * lib/storage-fault.ts; the method used is reported). The storing activities must fail, retry and
 * succeed once it is writable again: every run completes, nothing is half-stored (no temporary
 * files, no object without its content type or the reverse, every object decodes completely) and
 * nothing is orphaned.
 */
import { join } from 'node:path';
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { fetchHistories } from './lib/history.js';
import { TransportError } from './lib/api.js';
import { sleep } from './lib/ports.js';
import { makeReadOnly } from './lib/storage-fault.js';

const STORING_STEPS = new Set(['store_base_image', 'palettes', 'variations']);
const PALETTES = 7;

export const r7StorageFault: Drill = {
  id: 'R7',
  title: 'storage fault',
  async run(ctx) {
    const { runs, readOnlyMs } = ctx.profile.r7;
    const rng = ctx.rng;
    const stack = await ctx.stack();
    const { api, app, temporal } = stack;

    const answers = await Promise.all(Array.from({ length: runs }, (_, n) => api.generate(`r7-user-${n}`, { ...runTexts('R7', n), num_palettes: PALETTES })));
    const submitted = answers.flatMap((a, n) => (ctx.check(a.status === 202, `run ${n} start answered HTTP ${a.status}`) ? [{ user: `r7-user-${n}`, taskId: a.body.task_id, workflowId: a.body.workflow_id! }] : []));
    // Wait (bounded) until a run stores: its base image or its variations.
    const waitStarted = Date.now();
    const stepsAtFault: Record<string, number> = {};
    while (Date.now() - waitStarted < 120_000) {
      const steps = await Promise.all(
        submitted.map((s) =>
          api.task(s.user, s.taskId).then(
            (a) => (a.status === 200 ? `${a.body.status === 'processing' || a.body.status === 'pending' ? a.body.progress.step : a.body.status}` : '?'),
            (err: unknown) => {
              if (err instanceof TransportError) return '?';
              throw err;
            },
          ),
        ),
      );
      if (steps.some((step) => STORING_STEPS.has(step))) {
        for (const step of steps) stepsAtFault[step] = (stepsAtFault[step] ?? 0) + 1;
        break;
      }
      await sleep(100);
    }
    const delay = rng.int(0, 500);
    await sleep(delay);
    const runningAtFault = await temporal.count('ExecutionStatus="Running"');
    const fault = await makeReadOnly(join(stack.dataDir, 'storage'));
    const faultStarted = Date.now();
    ctx.log(`storage read-only by ${fault.method}, ${runningAtFault} runs in flight, steps ${JSON.stringify(stepsAtFault)}`);
    await sleep(readOnlyMs / 2);
    const readyDuringFault = (await fetch(`${app.baseUrl}/api/ready`, { signal: AbortSignal.timeout(5_000) })).status;
    await sleep(Math.max(0, readOnlyMs - (Date.now() - faultStarted)));
    await fault.undo();
    const faultMs = Date.now() - faultStarted;

    const final = await api.waitFinal(submitted, Date.now() + 180_000);
    const completed = [...final.values()].filter((t) => t.status === 'completed').length;
    const histories = await fetchHistories(temporal, submitted.map((s) => s.workflowId));
    const retried = [...histories.values()].flatMap((h) => h.activities).filter((a) => a.attempts > 1 && a.lastFailureType === 'StorageError');
    const retriedByName: Record<string, number> = {};
    for (const a of retried) retriedByName[a.name] = (retriedByName[a.name] ?? 0) + 1;

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    ctx.record({
      runs,
      method: fault.method,
      read_only_ms: faultMs,
      fault_after_ms: faultStarted - waitStarted,
      steps_when_fault_started: stepsAtFault,
      runs_in_flight_at_fault: runningAtFault,
      ready_during_fault: readyDuringFault,
      activities_retried_after_storage_error: retried.length,
      retried_by_activity: retriedByName,
      max_attempts: Math.max(0, ...retried.map((a) => a.attempts)),
      retry_messages: [...new Set(retried.map((a) => a.lastFailureMessage))].slice(0, 5),
      completed,
    });
    ctx.check(runningAtFault > 0, 'no run was in flight when the storage turned read-only');
    ctx.check(retried.length > 0, 'no storing activity failed and retried: the fault did not hit the runs');
    ctx.expectEqual('runs completed', completed, runs);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, runs);
    ctx.expectEqual('variations stored (none lost to the outage)', store.variations, runs * PALETTES);

    const byName = Object.entries(retriedByName)
      .map(([name, k]) => `${k} ${name}`)
      .join(', ');
    return (
      `${runs} runs, storage read-only for ${(faultMs / 1000).toFixed(1)} s by ${fault.method} with ${runningAtFault} runs in flight; ` +
      `${retried.length} activities retried after StorageError (${byName || 'none'}, up to attempt ${Math.max(0, ...retried.map((a) => a.attempts))}); ${completed}/${runs} completed, ${store.variations}/${runs * PALETTES} variations; ` +
      `${store.half_stored} half-stored, ${store.undecodable_objects} undecodable, ${store.missing_objects} missing, ${store.orphan_objects} orphans`
    );
  },
};
