/**
 * R6 cancel storm: first as many runs as the storm, started the same way (a little apart), go
 * through uncancelled to measure how long a run takes here under that load (T, the median); then
 * the storm's runs are started the same way and each is cancelled at a random moment between 0 and
 * T after its start, so cancels land in every step, also after the commit point. Every task
 * must end `canceled` — with no concept and no object left under its prefix — or `completed`, and
 * a completed one only if the cancel came too late: answered 409 (already finished), or, by its
 * workflow history, requested after storeConcept (the commit point) was scheduled.
 */
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { fetchHistories, waitClosed } from './lib/history.js';
import { objectsOfTask } from './lib/inspect.js';
import { sleep } from './lib/ports.js';

const STAGGER_MS = 150;
/** Cancels land up to this multiple of the measured run duration after the start. */
const CANCEL_WINDOW = 1.0;

interface Run {
  n: number;
  user: string;
  taskId?: string;
  workflowId?: string;
  delayMs: number;
  cancelStatus?: number;
  stepAtCancel?: string;
}

export const r6CancelStorm: Drill = {
  id: 'R6',
  title: 'cancel storm',
  async run(ctx) {
    const { runs: count } = ctx.profile.r6;
    const rng = ctx.rng;
    const stack = await ctx.stack();
    const { api, temporal } = stack;
    const durations = await Promise.all(
      Array.from({ length: count }, async (_, n) => {
        await sleep(n * STAGGER_MS);
        const user = `r6-calibration-${n}`;
        const started = Date.now();
        const answer = await api.generate(user, { ...runTexts('R6', 900 + n), num_palettes: 5 });
        if (answer.status !== 202) throw new Error(`calibration run answered HTTP ${answer.status}`);
        await api.waitFinal([{ user, taskId: answer.body.task_id }], Date.now() + 180_000, 200);
        return Date.now() - started;
      }),
    );
    const runMs = durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)]!;
    const maxDelayMs = Math.round(runMs * CANCEL_WINDOW);
    const runs: Run[] = Array.from({ length: count }, (_, n) => ({ n, user: `r6-user-${n}`, delayMs: rng.int(0, maxDelayMs) }));

    await Promise.all(
      runs.map(async (run) => {
        await sleep(run.n * STAGGER_MS);
        const started = await api.generate(run.user, { ...runTexts('R6', run.n), num_palettes: 5 });
        if (!ctx.check(started.status === 202, `run ${run.n} start answered HTTP ${started.status}`)) return;
        run.taskId = started.body.task_id;
        run.workflowId = started.body.workflow_id ?? undefined;
        await sleep(run.delayMs);
        const cancel = await api.cancel(run.user, run.taskId);
        run.cancelStatus = cancel.status;
        // 202 answers the task; 409 (already finished) carries it under `task`.
        const view = cancel.status === 409 ? (cancel.body as unknown as { task?: { progress?: { step?: string }; status?: string } }).task : cancel.body;
        run.stepAtCancel = cancel.status === 409 ? `after ${view?.status ?? '?'}` : view?.progress?.step;
      }),
    );
    const started = runs.filter((r): r is Run & { taskId: string; workflowId: string } => r.taskId !== undefined && r.workflowId !== undefined);
    const final = await api.waitFinal(started.map((r) => ({ user: r.user, taskId: r.taskId })), Date.now() + 180_000);
    await waitClosed(temporal, started.map((r) => r.workflowId), 60_000);
    const histories = await fetchHistories(temporal, started.map((r) => r.workflowId));

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);

    const outcome = { canceled: 0, completed_after_commit_point: 0, completed_before_cancel: 0, violations: 0 };
    const violations: string[] = [];
    const stepsAtCancel: Record<string, number> = {};
    for (const run of started) {
      const task = final.get(run.taskId);
      const history = histories.get(run.workflowId);
      stepsAtCancel[run.stepAtCancel ?? '?'] = (stepsAtCancel[run.stepAtCancel ?? '?'] ?? 0) + 1;
      const left = objectsOfTask(inspection, run.user, run.taskId).length;
      if (task?.status === 'canceled') {
        if (left === 0 && history?.closed === 'canceled' && run.cancelStatus === 202) outcome.canceled += 1;
        else violations.push(`${run.taskId}: canceled with ${left} objects left, workflow ${history?.closed}, cancel HTTP ${run.cancelStatus}`);
      } else if (task?.status === 'completed' && run.cancelStatus === 409) {
        outcome.completed_before_cancel += 1;
      } else if (task?.status === 'completed' && run.cancelStatus === 202) {
        const commit = history?.activities.find((a) => a.name === 'storeConcept')?.scheduledEventId;
        const requested = history?.cancelRequestedEventId;
        if (commit !== undefined && (requested === undefined || requested > commit)) outcome.completed_after_commit_point += 1;
        else violations.push(`${run.taskId}: completed although the cancel (event ${requested}) came before the commit point (event ${commit})`);
      } else {
        violations.push(`${run.taskId}: ended ${task?.status} (cancel HTTP ${run.cancelStatus})`);
      }
    }
    outcome.violations = violations.length;
    for (const v of violations) ctx.log(`violation: ${v}`);

    ctx.record({
      runs: count,
      calibration_run_ms: runMs,
      max_cancel_delay_ms: maxDelayMs,
      cancel_delays_ms: runs.map((r) => r.delayMs),
      cancel_answers: runs.map((r) => r.cancelStatus),
      steps_at_cancel: stepsAtCancel,
      outcomes: outcome,
      violation_samples: violations.slice(0, 10),
    });
    ctx.expectEqual('runs started', started.length, count);
    ctx.expectEqual('tasks not canceled or rightly completed', violations.length, 0);
    ctx.expectEqual('canceled (database)', store.by_status.canceled ?? 0, outcome.canceled);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, count + outcome.completed_after_commit_point + outcome.completed_before_cancel);

    const steps = Object.entries(stepsAtCancel)
      .map(([s, k]) => `${k}×${s}`)
      .join(' ');
    return (
      `${count} runs cancelled 0–${(maxDelayMs / 1000).toFixed(1)} s in (a run takes ${(runMs / 1000).toFixed(1)} s; steps at cancel: ${steps}): ${outcome.canceled} canceled, ` +
      `${outcome.completed_after_commit_point} completed past the commit point, ${outcome.completed_before_cancel} finished before the cancel (409), ` +
      `${outcome.violations} wrong; ${store.orphan_objects} orphans, ${store.active_tasks} pending/processing`
    );
  },
};
