/**
 * R3 provider faults: both providers speak JigsawStack's wire format to a loopback stand-in that
 * fails 30 % of calls — 500, 503, a stall past PROVIDER_TIMEOUT_MS, a reset connection, or 429 with
 * Retry-After — chosen per (endpoint, run, attempt) from the seed. Every run must complete and
 * every retry after a 429 must come no sooner than Retry-After. Then two runs the provider refuses
 * (palettes 400, image 401) must fail after one attempt of that activity, with a readable message
 * and nothing left in the store.
 */
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { fetchHistories, waitClosed } from './lib/history.js';
import { objectsOfTask } from './lib/inspect.js';
import { IMAGE_PATH, jigsawStackEnv, PALETTE_PATH, startDrillJigsawStack, type Answer } from './lib/jigsawstack-server.js';

const FAIL_RATE = 0.3;
const FAULTS: Answer[] = ['500', '503', 'timeout', 'reset', '429'];
const RETRY_AFTER_SECONDS = 6;
const PROVIDER_TIMEOUT_MS = 2_000;
/** Scheduling slack allowed below Retry-After (clock reads on both sides of the wire). */
const RETRY_AFTER_TOLERANCE_MS = 100;
const REJECTED = [
  { n: 900, path: PALETTE_PATH, answer: '400' as const, activity: 'generatePalettes', expect: /HTTP 400/ },
  { n: 901, path: IMAGE_PATH, answer: '401' as const, activity: 'generateBaseImage', expect: /credentials \(HTTP 401\)/ },
];

const isReadable = (message: string | null): boolean =>
  // eslint-disable-next-line no-control-regex
  !!message && message.length <= 1000 && !/[\u0000-\u001f]/.test(message) && !/\bat .+:\d+:\d+/.test(message) && !/\[object /.test(message);

export const r3ProviderFaults: Drill = {
  id: 'R3',
  title: 'provider faults',
  async run(ctx) {
    const { runs } = ctx.profile.r3;
    const rejected = new Map(REJECTED.map((r) => [`R3 run ${r.n} ${r.path}`, r.answer]));
    const provider = await startDrillJigsawStack(
      ({ path, run, attempt }) => {
        const refusal = rejected.get(`${run} ${path}`);
        if (refusal) return refusal;
        const rng = ctx.rng.fork(`${path}|${run}|${attempt}`);
        return rng.chance(FAIL_RATE) ? rng.pick(FAULTS) : 'ok';
      },
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
    const stack = await ctx.stack({ env: jigsawStackEnv(provider.origin, PROVIDER_TIMEOUT_MS) });
    const { api, temporal } = stack;

    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: runs }, (_, n) => api.generate(`r3-user-${n}`, { ...runTexts('R3', n), num_palettes: 4 })));
    const submitted = answers.flatMap((a, n) => (ctx.check(a.status === 202, `run ${n} start answered HTTP ${a.status}`) ? [{ user: `r3-user-${n}`, taskId: a.body.task_id }] : []));
    const final = await api.waitFinal(submitted, Date.now() + Math.max(60_000, ctx.remainingMs() - 150_000));
    const faultDurationMs = Date.now() - started;
    const completed = [...final.values()].filter((t) => t.status === 'completed');
    for (const t of final.values()) if (t.status !== 'completed') ctx.log(`run ${t.task_id} ended ${t.status}: ${t.error_message}`);

    // Retry-After: the next call of the same run to the same endpoint comes no sooner.
    const gaps: number[] = [];
    for (const call of provider.calls.filter((c) => c.answer === '429')) {
      const next = provider.calls.find((c) => c.path === call.path && c.run === call.run && c.attempt === call.attempt + 1);
      if (next && call.answeredAt !== undefined) gaps.push(next.arrivedAt - call.answeredAt);
    }
    const early = gaps.filter((g) => g < RETRY_AFTER_SECONDS * 1000 - RETRY_AFTER_TOLERANCE_MS);
    const faultCalls = provider.calls.filter((c) => FAULTS.includes(c.answer));
    const byAnswer: Record<string, number> = {};
    for (const c of provider.calls) byAnswer[c.answer] = (byAnswer[c.answer] ?? 0) + 1;
    const maxAttempts = Math.max(0, ...provider.calls.map((c) => c.attempt));

    // The refusals: one attempt, a readable message, fast.
    const refusalFigures: Record<string, unknown>[] = [];
    const refusalTasks: { user: string; taskId: string; n: number }[] = [];
    for (const r of REJECTED) {
      const user = `r3-user-${r.n}`;
      const postedAt = Date.now();
      const answer = await api.generate(user, { ...runTexts('R3', r.n), num_palettes: 4 });
      if (!ctx.check(answer.status === 202, `refused run ${r.n} start answered HTTP ${answer.status}`)) continue;
      const done = (await api.waitFinal([{ user, taskId: answer.body.task_id }], Date.now() + 120_000, 250)).get(answer.body.task_id)!;
      await waitClosed(temporal, [done.workflow_id!], 30_000);
      const history = (await fetchHistories(temporal, [done.workflow_id!])).get(done.workflow_id!)!;
      const activity = history.activities.find((a) => a.name === r.activity);
      const calls = provider.calls.filter((c) => c.run === `R3 run ${r.n}` && c.path === r.path).length;
      refusalTasks.push({ user, taskId: done.task_id, n: r.n });
      refusalFigures.push({
        provider_answer: r.answer,
        activity: r.activity,
        status: done.status,
        provider_calls: calls,
        activity_attempts: activity?.attempts ?? 0,
        workflow: history.closed,
        seconds_to_fail: (Date.now() - postedAt) / 1000,
        error_message: done.error_message,
      });
      ctx.expectEqual(`HTTP ${r.answer} run status`, done.status, 'failed');
      ctx.expectEqual(`HTTP ${r.answer} run: provider calls to ${r.path}`, calls, 1);
      ctx.expectEqual(`HTTP ${r.answer} run: ${r.activity} attempts`, activity?.attempts, 1);
      ctx.expectEqual(`HTTP ${r.answer} run workflow`, history.closed, 'failed');
      ctx.check(isReadable(done.error_message) && r.expect.test(done.error_message ?? ''), `HTTP ${r.answer} run message not readable: ${JSON.stringify(done.error_message)}`);
    }

    const workflowsCompleted = await temporal.countUntil('ExecutionStatus="Completed"', runs);
    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    const leftByRefused = refusalTasks.reduce((sum, t) => sum + objectsOfTask(inspection, t.user, t.taskId).length, 0);
    await provider.stop();

    ctx.record({
      runs,
      completed: completed.length,
      seconds_until_all_final: faultDurationMs / 1000,
      provider_calls: provider.calls.length,
      provider_answers: byAnswer,
      fault_rate_observed: provider.calls.length ? faultCalls.length / provider.calls.length : 0,
      max_attempts_of_one_call: maxAttempts,
      retry_after_seconds: RETRY_AFTER_SECONDS,
      retries_after_429: gaps.length,
      retry_after_gaps_ms: gaps.sort((a, b) => a - b),
      retries_sooner_than_retry_after: early.length,
      refusals: refusalFigures,
      objects_left_by_refused_runs: leftByRefused,
      workflows_completed: workflowsCompleted,
    });
    ctx.expectEqual('runs completed', completed.length, runs);
    ctx.check(gaps.length > 0, 'no 429 was followed by a retry: Retry-After not exercised (choose another seed)');
    ctx.expectEqual('retries sooner than Retry-After', early.length, 0);
    ctx.expectEqual('objects left by refused runs', leftByRefused, 0);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, runs);
    ctx.expectEqual('failed (database)', store.by_status.failed ?? 0, REJECTED.length);

    const faults = FAULTS.map((f) => `${byAnswer[f] ?? 0}×${f}`).join(' ');
    return (
      `${runs} runs through ${provider.calls.length} provider calls, ${faultCalls.length} faults (${faults}); ` +
      `${completed.length}/${runs} completed; ${gaps.length} retries after 429, min gap ${gaps.length ? (Math.min(...gaps) / 1000).toFixed(1) : '-'} s ` +
      `(Retry-After ${RETRY_AFTER_SECONDS} s); refused runs: ${refusalFigures.map((f) => `HTTP ${f.provider_answer} → ${f.status} after ${f.activity_attempts} attempt`).join(', ')}; ` +
      `${leftByRefused} objects left, ${store.orphan_objects} orphans`
    );
  },
};
