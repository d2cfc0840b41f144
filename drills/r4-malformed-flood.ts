/**
 * R4 malformed flood: seeded random malformed requests across every route (drills/r4/catalogue.ts),
 * sent raw over sockets, a few at a time. No answer may be a 5xx or leak internals (stack frames,
 * source paths), no workflow may start (counted through the Temporal client) and no task row may
 * appear; afterwards the app — the same process — is ready and completes a normal run.
 */
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { sleep } from './lib/ports.js';
import { createCatalogue, type FloodRequest } from './r4/catalogue.js';
import { exchange } from './r4/raw-http.js';

const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 5_000;
/** What an answer must never show a client: stack frames, source or dependency paths. */
const LEAK = /\n\s+at \S+ \(|node_modules|\/src\/[\w/-]+\.ts|\.ts:\d+:\d+|\/work\/|\/home\//;

export const r4MalformedFlood: Drill = {
  id: 'R4',
  title: 'malformed flood',
  async run(ctx) {
    const { requests } = ctx.profile.r4;
    const stack = await ctx.stack();
    const { app, api, temporal } = stack;
    const appPid = app.pid;
    const port = Number(new URL(app.baseUrl).port);
    const catalogue = createCatalogue({ port, jwtSecret: stack.jwtSecret!, users: ['r4-user-0', 'r4-user-1', 'r4-user-2'] });
    const rng = ctx.rng;
    const planned: FloodRequest[] = Array.from({ length: requests }, () => catalogue.next(rng));

    const statuses: Record<string, number> = {};
    const byCategory: Record<string, Record<string, number>> = {};
    const serverErrors: string[] = [];
    const leaks: string[] = [];
    let unanswered = 0;
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < planned.length && ctx.remainingMs() > 120_000) {
        const request = planned[next++]!;
        const answer = await exchange(port, request.bytes, REQUEST_TIMEOUT_MS);
        const key = answer.status === 0 ? (answer.timedOut ? 'no answer (timeout)' : 'closed without answer') : String(answer.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        (byCategory[request.category] ??= {})[key] = (byCategory[request.category]![key] ?? 0) + 1;
        if (answer.status === 0) unanswered += 1;
        if (answer.status >= 500) serverErrors.push(`${request.category}: ${request.line} → ${answer.status} ${answer.body.slice(0, 200)}`);
        if (LEAK.test(answer.body)) leaks.push(`${request.category}: ${request.line} → ${answer.status} ${answer.body.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sent = Object.values(statuses).reduce((a, b) => a + b, 0);
    const floodSeconds = (Date.now() - started) / 1000;
    for (const line of serverErrors.slice(0, 30)) ctx.log(`5xx: ${line}`);
    for (const line of leaks.slice(0, 30)) ctx.log(`leak: ${line}`);

    // Visibility is written asynchronously: give a started workflow time to show up.
    await sleep(2_000);
    const workflowsAfterFlood = await temporal.count();
    const readyAfterFlood = await app.ready();
    const sameProcess = app.running() && app.pid === appPid;

    const normal = await api.generate('r4-user-normal', { ...runTexts('R4', 0), num_palettes: 4 });
    let normalStatus = `HTTP ${normal.status}`;
    if (normal.status === 202) {
      normalStatus = (await api.waitFinal([{ user: 'r4-user-normal', taskId: normal.body.task_id }], Date.now() + 120_000)).get(normal.body.task_id)?.status ?? '?';
    }
    const workflowsAtEnd = await temporal.countUntil('', 1);

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    const floodTasks = inspection.tasks.filter((t) => t.user_id !== 'r4-user-normal').length;

    ctx.record({
      requests_planned: requests,
      requests_sent: sent,
      flood_seconds: floodSeconds,
      statuses,
      by_category: byCategory,
      responses_5xx: serverErrors.length,
      server_error_samples: serverErrors.slice(0, 20),
      responses_leaking_internals: leaks.length,
      leak_samples: leaks.slice(0, 10),
      unanswered,
      workflows_after_flood: workflowsAfterFlood,
      tasks_from_flood: floodTasks,
      ready_after_flood: readyAfterFlood,
      app_same_process: sameProcess,
      normal_run: normalStatus,
      workflows_at_end: workflowsAtEnd,
    });
    ctx.expectEqual('requests sent', sent, requests);
    ctx.expectEqual('5xx responses', serverErrors.length, 0);
    ctx.expectEqual('responses leaking internals', leaks.length, 0);
    ctx.expectEqual('workflows started by the flood', workflowsAfterFlood, 0);
    ctx.expectEqual('task rows from the flood', floodTasks, 0);
    ctx.check(readyAfterFlood && sameProcess, 'the app was not ready after the flood, or is not the same process');
    ctx.expectEqual('normal run after the flood', normalStatus, 'completed');
    ctx.expectEqual('workflows at the end', workflowsAtEnd, 1);

    const top = Object.entries(statuses)
      .sort((a, b) => b[1] - a[1])
      .map(([s, n]) => `${n}×${s}`)
      .join(' ');
    return (
      `${sent} malformed requests in ${Object.keys(byCategory).length} categories (${floodSeconds.toFixed(0)} s): ${top}; ` +
      `${serverErrors.length} 5xx, ${leaks.length} leaks, ${workflowsAfterFlood} workflows, ${floodTasks} tasks; ` +
      `then ${readyAfterFlood ? 'ready' : 'NOT ready'}, normal run ${normalStatus}, ${store.orphan_objects} orphans`
    );
  },
};
