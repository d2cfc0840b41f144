/**
 * R1 app crash: generations are submitted in batches while the app (API + worker) is SIGKILLed at
 * random moments and restarted on the same DATA_DIR. Two uncrashed batches measure how long a warm
 * batch takes here (T, from the second); each kill then comes 0.3 s to 0.85 × T after a batch is submitted, so kills
 * land in every step of the runs. A moment that finds nothing in flight gets no kill (it would
 * prove nothing); generations are added when needed so that every counted kill hits live work. Clients behave as the API asks: every POST carries an
 * Idempotency-Key and is retried with it when the connection dies. Afterwards every run must have
 * completed, with exactly one task and one concept each, every object present and no orphan,
 * nothing pending or processing, one completed workflow per task, and every variation either
 * stored or reported failed in the workflow's result (none silently lost).
 */
import { TransportError } from './lib/api.js';
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { sleep } from './lib/ports.js';

interface Submission {
  n: number;
  user: string;
  key: string;
  body: { logo_description: string; theme_description: string; num_palettes: number };
  taskId?: string;
  posts: number;
  refusals: string[];
}

export const r1AppCrash: Drill = {
  id: 'R1',
  title: 'app crash',
  async run(ctx) {
    const { generations, kills } = ctx.profile.r1;
    const rng = ctx.rng;
    const stack = await ctx.stack();
    const { app, api, temporal } = stack;
    const submission = (n: number): Submission => ({
      n,
      user: `r1-user-${n}`,
      key: `r1-key-${n}`,
      body: { ...runTexts('R1', n), num_palettes: rng.int(2, 6) },
      posts: 0,
      refusals: [],
    });
    const subs: Submission[] = Array.from({ length: generations }, (_, n) => submission(n));

    // Two uncrashed calibration batches: the first warms the app up (its runs are slower), the
    // second measures how long a batch takes here.
    const batch = Math.ceil(generations / kills);
    const calibration: Submission[] = Array.from({ length: 2 * batch }, (_, n) => ({
      n: 900 + n,
      user: `r1-calibration-${n}`,
      key: `r1-calibration-${n}`,
      body: { ...runTexts('R1', 900 + n), num_palettes: 4 },
      posts: 0,
      refusals: [],
    }));

    const post = async (s: Submission) => {
      s.posts += 1;
      try {
        const answer = await api.generate(s.user, s.body, s.key);
        if (answer.status === 202 || answer.status === 200) s.taskId = answer.body.task_id;
        else s.refusals.push(`HTTP ${answer.status}`);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
      }
    };

    let batchMs = 0;
    for (const round of [calibration.slice(0, batch), calibration.slice(batch)]) {
      const started = Date.now();
      await Promise.all(round.map(post));
      const accepted = round.filter((s): s is Submission & { taskId: string } => s.taskId !== undefined);
      await api.waitFinal(accepted.map((s) => ({ user: s.user, taskId: s.taskId })), Date.now() + 180_000, 100);
      batchMs = Date.now() - started;
    }
    const calibrated = calibration.filter((s) => s.taskId !== undefined);
    // Each cycle submits a fresh batch and kills the app at a random moment inside the batch's
    // expected run time. A kill that would find nothing in flight (the batch already finished) is
    // not made: the cycle is skipped, and when the planned generations are used up before `kills`
    // kills have landed, a few more are added, so every kill the drill counts hits live work.
    const maxDelayMs = Math.max(800, Math.round(0.85 * batchMs));
    let released = 0;
    let killsInFlight = 0;
    let skipped = 0;
    const killLog: { delay_ms: number; running_workflows: number; posts_open: number }[] = [];
    for (let cycle = 0; killsInFlight < kills && cycle < kills * 4; cycle++) {
      if (!app.running()) await ctx.timed('app_start', () => app.start());
      if (released >= subs.length) subs.push(...Array.from({ length: batch }, (_, i) => submission(subs.length + i)));
      const fresh = subs.slice(released, released + batch);
      released += fresh.length;
      const toPost = [...subs.slice(0, released - fresh.length).filter((s) => !s.taskId), ...fresh];
      let open = toPost.length;
      const posting = Promise.all(toPost.map((s) => post(s).finally(() => (open -= 1))));
      const delay = rng.int(300, maxDelayMs);
      await sleep(delay);
      const running = await temporal.count('ExecutionStatus="Running"');
      const postsOpen = open;
      if (running === 0 && postsOpen === 0) {
        skipped += 1;
        await posting;
        ctx.log(`no kill ${delay} ms after the batch: nothing in flight`);
        continue;
      }
      await app.kill();
      await posting;
      killLog.push({ delay_ms: delay, running_workflows: running, posts_open: postsOpen });
      killsInFlight += 1;
      ctx.log(`kill ${app.kills}: ${delay} ms after the batch, ${running} workflows running, ${postsOpen} POSTs open`);
    }
    await ctx.timed('app_start', () => app.start());
    for (let round = 0; round < 5 && subs.some((s) => !s.taskId); round++) {
      await Promise.all(subs.filter((s) => !s.taskId).map(post));
    }
    const accepted = subs.filter((s): s is Submission & { taskId: string } => s.taskId !== undefined);
    const final = await api.waitFinal(
      accepted.map((s) => ({ user: s.user, taskId: s.taskId })),
      Date.now() + Math.max(60_000, ctx.remainingMs() - 90_000),
    );
    const completedViaApi = [...final.values()].filter((t) => t.status === 'completed').length;
    // What each run reports (waiting for each workflow to close): variations made, and the ones that failed.
    const reported = await temporal.withClient(async (client) => {
      const out = new Map<string, { variations_succeeded: number; failed_variations: unknown[] }>();
      for (const s of accepted) {
        const result = (await client.workflow.getHandle(`concept-generation-${s.taskId}`).result()) as { variations_succeeded: number; failed_variations: unknown[] };
        out.set(s.taskId, result);
      }
      return out;
    });
    const submitted = subs.length;
    const expectedWorkflows = submitted + calibrated.length;
    const workflows = await temporal.countUntil('', expectedWorkflows);
    const workflowsCompleted = await temporal.countUntil('ExecutionStatus="Completed"', expectedWorkflows);

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    const tasksPerKey = new Map<string, number>();
    for (const t of inspection.tasks) tasksPerKey.set(`${t.user_id}/${t.idempotency_key}`, (tasksPerKey.get(`${t.user_id}/${t.idempotency_key}`) ?? 0) + 1);
    const duplicateTasks = [...tasksPerKey.values()].filter((n) => n > 1).length;
    const variationsAsked = subs.reduce((sum, s) => sum + s.body.num_palettes, 0);
    const conceptOfTask = new Map(inspection.concepts.map((c) => [c.task_id, c.id]));
    const storedPerConcept = new Map<string, number>();
    for (const v of inspection.variations) storedPerConcept.set(v.concept_id, (storedPerConcept.get(v.concept_id) ?? 0) + 1);
    let variationsStored = 0;
    let variationsReportedFailed = 0;
    const unaccounted: string[] = [];
    for (const s of accepted) {
      const stored = storedPerConcept.get(conceptOfTask.get(s.taskId) ?? '') ?? 0;
      const result = reported.get(s.taskId);
      variationsStored += stored;
      variationsReportedFailed += result?.failed_variations.length ?? 0;
      if (!result || result.variations_succeeded !== stored || stored + result.failed_variations.length !== s.body.num_palettes) {
        unaccounted.push(`${s.taskId}: asked ${s.body.num_palettes}, stored ${stored}, reported ${result?.variations_succeeded} made + ${result?.failed_variations.length} failed`);
      }
    }
    for (const line of unaccounted) ctx.log(`variations unaccounted: ${line}`);

    ctx.record({
      generations: submitted,
      generations_added_for_kills: submitted - generations,
      kills_skipped_idle: skipped,
      kills: app.kills,
      kills_with_runs_in_flight: killsInFlight,
      kill_log: killLog,
      app_starts: app.starts,
      app_start_ms: app.startDurationsMs,
      posts: subs.reduce((sum, s) => sum + s.posts, 0),
      accepted: accepted.length,
      completed_via_api: completedViaApi,
      tasks_per_key_over_1: duplicateTasks,
      calibration_batch_ms: batchMs,
      max_kill_delay_ms: maxDelayMs,
      variations_asked: variationsAsked,
      variations_stored: variationsStored,
      variations_reported_failed: variationsReportedFailed,
      runs_with_variations_unaccounted: unaccounted.length,
      workflows,
      workflows_completed: workflowsCompleted,
    });
    ctx.check(killsInFlight >= kills, `kills with runs in flight: ${killsInFlight} (expected ≥ ${kills})`);
    ctx.expectEqual('generations accepted', accepted.length, submitted);
    ctx.expectEqual('completed (API)', completedViaApi, submitted);
    const total = expectedWorkflows;
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, total);
    ctx.expectEqual('tasks in the database', store.tasks, total);
    ctx.expectEqual('keys with more than one task', duplicateTasks, 0);
    ctx.expectEqual('concepts', store.concepts, total);
    ctx.expectEqual('runs whose variations are neither stored nor reported failed', unaccounted.length, 0);
    ctx.expectEqual('workflows', workflows, total);
    ctx.expectEqual('workflows completed', workflowsCompleted, total);
    const refused = subs.flatMap((s) => s.refusals);
    if (refused.length > 0) ctx.log(`refused POSTs: ${refused.join(', ')}`);

    return (
      `${submitted} generations, ${app.kills} SIGKILLs 0.3–${(maxDelayMs / 1000).toFixed(1)} s after a batch (${killsInFlight} with runs in flight, ${skipped} idle moments skipped), ${app.starts} starts; ` +
      `${accepted.filter((s) => final.get(s.taskId)?.status === 'completed').length}/${submitted} completed, one concept each, ` +
      `${variationsStored}/${variationsAsked} variations stored + ${variationsReportedFailed} reported failed, ` +
      `${store.referenced_objects - store.missing_objects}/${store.referenced_objects} objects, ${store.orphan_objects} orphans, ` +
      `${store.active_tasks} pending/processing, ${workflowsCompleted}/${workflows} workflows completed`
    );
  },
};
