/**
 * R5 duplicates: concurrent POSTs that must collapse to one run. (a) N concurrent POSTs of one user
 * with one Idempotency-Key and one body: every answer names the same task, and there is one task
 * row and one workflow. (b) N concurrent POSTs of another user without keys: one run, N − 1 × 409
 * (one active generation per user). The image provider (a JigsawStack stand-in) holds every image
 * call until all answers are in, so both runs are surely still active while the POSTs race; then
 * it lets them finish, and a late replay of the key still names the same task.
 */
import { checkStore, stopAndInspect } from './lib/checks.js';
import { runTexts, type Drill } from './lib/drill.js';
import { DRILL_API_KEY, IMAGE_PATH, startDrillJigsawStack } from './lib/jigsawstack-server.js';
import { sleep } from './lib/ports.js';

const KEYED_USER = 'r5-keyed-user';
const UNKEYED_USER = 'r5-unkeyed-user';
const KEY = 'r5-one-key';

const tally = (statuses: number[]) => {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
};

export const r5Duplicates: Drill = {
  id: 'R5',
  title: 'duplicates',
  async run(ctx) {
    const n = ctx.profile.r5.concurrent;
    const provider = await startDrillJigsawStack(() => 'hold');
    const stack = await ctx.stack({
      env: { IMAGE_PROVIDER: 'jigsawstack', JIGSAWSTACK_API_KEY: DRILL_API_KEY, JIGSAWSTACK_BASE_URL: provider.origin },
    });
    const { api, temporal } = stack;

    const keyedBody = { ...runTexts('R5', 1), num_palettes: 3 };
    const keyed = await Promise.all(Array.from({ length: n }, () => api.generate(KEYED_USER, keyedBody, KEY)));
    const unkeyed = await Promise.all(Array.from({ length: n }, () => api.generate(UNKEYED_USER, { ...runTexts('R5', 2), num_palettes: 3 })));
    const heldCalls = provider.calls.length;
    provider.release();

    const keyedIds = new Set(keyed.filter((a) => a.status === 202).map((a) => a.body.task_id));
    const accepted = unkeyed.filter((a) => a.status === 202);
    const conflicts = unkeyed.filter((a) => a.status === 409);
    const keyedTask = [...keyedIds][0];
    const unkeyedTask = accepted[0]?.body.task_id;
    const toWait = [
      ...(keyedTask ? [{ user: KEYED_USER, taskId: keyedTask }] : []),
      ...(unkeyedTask ? [{ user: UNKEYED_USER, taskId: unkeyedTask }] : []),
    ];
    const final = await api.waitFinal(toWait, Date.now() + 120_000);
    const replay = await api.generate(KEYED_USER, keyedBody, KEY);
    const conflictsNameTheRun = conflicts.every((a) => (a.body as unknown as { task?: { task_id?: string } }).task?.task_id === unkeyedTask);

    // A second workflow would show up as 2: wait for 1 (visibility lags), then read once more.
    await temporal.countUntil(`UserId="${KEYED_USER}"`, 1);
    await temporal.countUntil(`UserId="${UNKEYED_USER}"`, 1);
    await sleep(1_000);
    const workflowsKeyed = await temporal.count(`UserId="${KEYED_USER}"`);
    const workflowsUnkeyed = await temporal.count(`UserId="${UNKEYED_USER}"`);
    const imageCalls = (run: number) => provider.calls.filter((c) => c.path === IMAGE_PATH && c.run === `R5 run ${run}`).length;

    const inspection = await stopAndInspect(ctx, stack);
    const store = await checkStore(ctx, inspection);
    await provider.stop();
    const rowsKeyed = inspection.tasks.filter((t) => t.user_id === KEYED_USER).length;
    const rowsUnkeyed = inspection.tasks.filter((t) => t.user_id === UNKEYED_USER).length;

    ctx.record({
      concurrent: n,
      keyed_statuses: tally(keyed.map((a) => a.status)),
      keyed_distinct_tasks: keyedIds.size,
      keyed_task_rows: rowsKeyed,
      keyed_workflows: workflowsKeyed,
      keyed_image_calls: imageCalls(1),
      late_replay: { status: replay.status, same_task: replay.body.task_id === keyedTask },
      unkeyed_statuses: tally(unkeyed.map((a) => a.status)),
      unkeyed_task_rows: rowsUnkeyed,
      unkeyed_workflows: workflowsUnkeyed,
      unkeyed_image_calls: imageCalls(2),
      conflicts_name_the_active_task: conflictsNameTheRun,
      image_calls_held_while_posting: heldCalls,
      final: Object.fromEntries([...final.entries()].map(([id, t]) => [id, t.status])),
    });
    ctx.expectEqual('keyed POSTs answered 202', keyed.filter((a) => a.status === 202).length, n);
    ctx.expectEqual('keyed: distinct tasks in the answers', keyedIds.size, 1);
    ctx.expectEqual('keyed: task rows', rowsKeyed, 1);
    ctx.expectEqual('keyed: workflows', workflowsKeyed, 1);
    ctx.expectEqual('keyed: image calls', imageCalls(1), 1);
    ctx.check(replay.status === 202 && replay.body.task_id === keyedTask, `late replay answered HTTP ${replay.status} for task ${replay.body.task_id}`);
    ctx.expectEqual('unkeyed: 202 answers', accepted.length, 1);
    ctx.expectEqual('unkeyed: 409 answers', conflicts.length, n - 1);
    ctx.check(conflictsNameTheRun, 'a 409 does not name the active task');
    ctx.expectEqual('unkeyed: task rows', rowsUnkeyed, 1);
    ctx.expectEqual('unkeyed: workflows', workflowsUnkeyed, 1);
    ctx.expectEqual('runs completed', [...final.values()].filter((t) => t.status === 'completed').length, 2);
    ctx.expectEqual('completed (database)', store.by_status.completed ?? 0, 2);

    return (
      `${n} concurrent POSTs with one key → ${keyedIds.size} task, ${rowsKeyed} row, ${workflowsKeyed} workflow (${JSON.stringify(tally(keyed.map((a) => a.status)))}); ` +
      `${n} without keys → ${accepted.length}×202 + ${conflicts.length}×409, ${rowsUnkeyed} row, ${workflowsUnkeyed} workflow; ` +
      `both completed: ${[...final.values()].filter((t) => t.status === 'completed').length}/2, ${store.orphan_objects} orphans`
    );
  },
};
