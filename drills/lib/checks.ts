/** The store checks most drills share: stop the app, read the database and the files, record and judge. */
import type { DrillContext, Stack } from './drill.js';
import { inspectDataDir, storeFigures, type Inspection, type StoreFigures } from './inspect.js';

/** Stops the app (gracefully) and inspects its DATA_DIR. */
export async function stopAndInspect(ctx: DrillContext, stack: Stack): Promise<Inspection> {
  const exit = await ctx.timed('app_stop', () => stack.app.stop());
  ctx.log(`app stopped: ${JSON.stringify(exit)}`);
  return ctx.timed('inspect', () => inspectDataDir(stack.dataDir));
}

/**
 * Records the store figures and checks the rules every drill holds the store to: nothing left
 * pending/processing, one concept per completed task and none for others, every referenced object
 * present and decodable, no orphans, nothing half-stored.
 */
export async function checkStore(ctx: DrillContext, inspection: Inspection): Promise<StoreFigures> {
  const { figures, problems } = await ctx.timed('store_checks', () => storeFigures(inspection, { decode: true }));
  ctx.record({ store: figures });
  for (const problem of problems) ctx.log(`store: ${problem}`);
  ctx.expectEqual('tasks left pending/processing', figures.active_tasks, 0);
  ctx.expectEqual('completed tasks without exactly one concept', figures.completed_without_one_concept, 0);
  ctx.expectEqual('concepts of tasks that did not complete', figures.concepts_of_unfinished_tasks, 0);
  ctx.expectEqual('referenced objects missing', figures.missing_objects, 0);
  ctx.expectEqual('orphan objects', figures.orphan_objects, 0);
  ctx.expectEqual('half-stored files', figures.half_stored, 0);
  ctx.expectEqual('objects that do not decode', figures.undecodable_objects, 0);
  if (problems.length > 0) ctx.log(`store problems: ${problems.join(' | ')}`);
  return figures;
}

/** `n` of `label`, for summaries. */
export const plural = (n: number, label: string) => `${n} ${label}${n === 1 ? '' : 's'}`;
