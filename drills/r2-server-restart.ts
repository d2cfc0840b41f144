/**
 * R2 server restart: while runs are in flight, the Temporal dev server is stopped and started
 * again on the same SQLite file and port — once gracefully (SIGTERM), once SIGKILLed. The app is
 * never restarted: its worker and client must reconnect by themselves. Afterwards every run has
 * completed, a run started after the restarts completes too, and the store is clean.
 */
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { sleep } from './lib/ports.js';

const DOWN_MS = 3_000;
/** How soon after the server is back the API must accept a start again (the runs finish within seconds). */
const API_RECONNECT_BOUND_MS = 30_000;

export const r2ServerRestart: Drill = {
  id: 'R2',
  title: 'server restart',
  async run(ctx) {
    const { runs, restarts } = ctx.profile.r2;
    const rng = ctx.rng;
    const stack = await ctx.stack();
    const { app, api, temporal } = stack;
    const appPid = app.pid;

    const submitted: { user: string; taskId: string }[] = [];
    const answers = await Promise.all(
      Array.from({ length: runs }, (_, n) => api.generate(`r2-user-${n}`, { ...runTexts('R2', n), num_palettes: 7 }, `r2-key-${n}`)),
    );
    answers.forEach((a, n) => {
      if (ctx.check(a.status === 202, `run ${n} start answered HTTP ${a.status}`)) submitted.push({ user: `r2-user-${n}`, taskId: a.body.task_id });
    });

    const stops: { how: string; after_ms: number; running_workflows: number; ready_while_down: number; restart_ms: number }[] = [];
    for (let i = 0; i < restarts; i++) {
      const wait = rng.int(300, 1_500);
      await sleep(wait);
      const running = await temporal.count('ExecutionStatus="Running"');
      const how = i % 2 === 0 ? 'SIGTERM' : 'SIGKILL';
      await temporal.stop(how);
      await sleep(DOWN_MS / 2);
      const readyWhileDown = (await fetch(`${app.baseUrl}/api/ready`, { signal: AbortSignal.timeout(5_000) })).status;
      await sleep(DOWN_MS / 2);
      const restartStarted = Date.now();
      await temporal.start();
      stops.push({ how, after_ms: wait, running_workflows: running, ready_while_down: readyWhileDown, restart_ms: Date.now() - restartStarted });
      ctx.log(`server ${how} ${wait} ms in, ${running} workflows running; /api/ready while down: ${readyWhileDown}`);
    }

    const lastRestart = Date.now();
    const final = await api.waitFinal(submitted, Date.now() + Math.max(60_000, ctx.remainingMs() - 120_000), 250);
    const recoveredMs = Date.now() - lastRestart;
    const completed = [...final.values()].filter((t) => t.status === 'completed').length;

    // A run started after the restarts: the API's client reconnected too. While it has not, the API
    // answers 503 with Retry-After (no task stored); a client retries then, and so does the drill.
    let after = await api.generate('r2-user-after', { ...runTexts('R2', runs), num_palettes: 3 }, 'r2-key-after');
    const refusedAfter: number[] = [];
    while (after.status === 503 && refusedAfter.length < 12) {
      refusedAfter.push(Date.now() - lastRestart);
      await sleep(Math.min(10, Number(after.headers.get('retry-after') ?? '1')) * 1000);
      after = await api.generate('r2-user-after', { ...runTexts('R2', runs), num_palettes: 3 }, 'r2-key-after');
    }
    const acceptedAfterMs = Date.now() - lastRestart;
    let afterStatus = `HTTP ${after.status}`;
    if (after.status === 202) {
      const done = await api.waitFinal([{ user: 'r2-user-after', taskId: after.body.task_id }], Date.now() + 120_000);
      afterStatus = done.get(after.body.task_id)?.status ?? 'unknown';
    }
    const sameProcess = app.running() && app.pid === appPid && app.starts === 1;
    const workflowsCompleted = await temporal.countUntil('ExecutionStatus="Completed"', runs + 1);

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    ctx.record({ runs, restarts: stops, completed, all_final_ms_after_last_restart: recoveredMs, start_refused_503_at_ms_after_last_restart: refusedAfter, start_accepted_ms_after_last_restart: acceptedAfterMs, run_after_restarts: afterStatus, app_same_process: sameProcess, workflows_completed: workflowsCompleted, server_starts: temporal.starts });
    ctx.expectEqual('runs completed', completed, runs);
    ctx.expectEqual('run started after the restarts', afterStatus, 'completed');
    ctx.check(acceptedAfterMs <= API_RECONNECT_BOUND_MS, `the API accepted a start only ${(acceptedAfterMs / 1000).toFixed(1)} s after the server was back (bound ${API_RECONNECT_BOUND_MS / 1000} s)`);
    ctx.check(sameProcess, 'the app was restarted or died (it must reconnect by itself)');
    ctx.check(stops.every((s) => s.running_workflows > 0), `a restart found no run in flight: ${JSON.stringify(stops.map((s) => s.running_workflows))}`);
    ctx.expectEqual('workflows completed', workflowsCompleted, runs + 1);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, runs + 1);

    return (
      `${runs} runs, server stopped ${stops.length}× (${stops.map((s) => `${s.how} with ${s.running_workflows} running`).join(', ')}); ` +
      `${completed}/${runs} completed (all within ${(recoveredMs / 1000).toFixed(1)} s of the last restart); the API accepted a start ${(acceptedAfterMs / 1000).toFixed(1)} s after it (${refusedAfter.length}× 503 before) and that run ${afterStatus}; app ${sameProcess ? 'never restarted' : 'RESTARTED'}, ` +
      `${store.orphan_objects} orphans, ${store.active_tasks} pending/processing`
    );
  },
};
