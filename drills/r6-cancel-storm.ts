/**
 * R6 cancel storm: runs are started a little apart and each is cancelled at a random moment of its
 * life: a step drawn at random (claim, base image, store ‖ palettes, variations, store, complete, or
 * after it finished), reached as the run's progress shows it, plus 0–300 ms. Moments are drawn over
 * the run's progress rather than wall time so that they land in every step however fast the
 * machine is. Every task must end `canceled` — with no concept and no object left under its prefix,
 * its workflow canceled — or `completed`, and a completed one only if the cancel came too late:
 * answered 409 (already finished), or, by its workflow history, requested after storeConcept (the
 * commit point) was scheduled.
 */
import { TERMINAL, TransportError } from './lib/api.js';
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { fetchHistories, waitClosed } from './lib/history.js';
import { objectsOfTask } from './lib/inspect.js';
import { sleep } from './lib/ports.js';

const STAGGER_MS = 150;
const POLL_MS = 150;
const MAX_JITTER_MS = 300;
/** The moments a cancel is aimed at, in the order a run goes through them. */
const TARGETS = ['claim', 'base_image', 'store_base_image', 'variations', 'store', 'complete', 'finished'] as const;
type Target = (typeof TARGETS)[number];
const STEP_ORDER: Record<string, number> = { claim: 0, base_image: 1, store_base_image: 2, palettes: 2, variations: 3, store: 4, complete: 5 };

interface Run {
  n: number;
  user: string;
  target: Target;
  jitterMs: number;
  taskId?: string;
  workflowId?: string;
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
    const runs: Run[] = Array.from({ length: count }, (_, n) => ({ n, user: `r6-user-${n}`, target: rng.pick(TARGETS), jitterMs: rng.int(0, MAX_JITTER_MS) }));

    /** Polls the run until it reaches its target step (or has finished), bounded. */
    const reach = async (run: Run & { taskId: string }) => {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        try {
          const answer = await api.task(run.user, run.taskId);
          if (answer.status === 200) {
            if (TERMINAL.has(answer.body.status)) return;
            if (run.target !== 'finished' && (STEP_ORDER[answer.body.progress.step] ?? 0) >= STEP_ORDER[run.target]!) return;
          }
        } catch (err) {
          if (!(err instanceof TransportError)) throw err;
        }
        await sleep(POLL_MS);
      }
    };

    await Promise.all(
      runs.map(async (run) => {
        await sleep(run.n * STAGGER_MS);
        const started = await api.generate(run.user, { ...runTexts('R6', run.n), num_palettes: 5 });
        if (!ctx.check(started.status === 202, `run ${run.n} start answered HTTP ${started.status}`)) return;
        run.taskId = started.body.task_id;
        run.workflowId = started.body.workflow_id ?? undefined;
        await reach(run as Run & { taskId: string });
        await sleep(run.jitterMs);
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
      cancel_targets: runs.map((r) => r.target),
      jitter_ms: runs.map((r) => r.jitterMs),
      cancel_answers: runs.map((r) => r.cancelStatus),
      steps_at_cancel: stepsAtCancel,
      outcomes: outcome,
      violation_samples: violations.slice(0, 10),
    });
    ctx.expectEqual('runs started', started.length, count);
    ctx.expectEqual('tasks not canceled or rightly completed', violations.length, 0);
    ctx.expectEqual('canceled (database)', store.by_status.canceled ?? 0, outcome.canceled);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, outcome.completed_after_commit_point + outcome.completed_before_cancel);

    const steps = Object.entries(stepsAtCancel)
      .map(([s, k]) => `${k}×${s}`)
      .join(' ');
    return (
      `${count} runs each cancelled at a random step (steps at cancel: ${steps}): ${outcome.canceled} canceled, ` +
      `${outcome.completed_after_commit_point} completed past the commit point, ${outcome.completed_before_cancel} finished before the cancel (409), ` +
      `${outcome.violations} wrong; ${store.orphan_objects} orphans, ${store.active_tasks} pending/processing`
    );
  },
};
