/**
 * The one wrapper every activity runs in: a child logger with task_id and workflow_id, timing,
 * heartbeats while it waits on slow work, and domain errors turned into Temporal failures.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { taskIdOfWorkflowId } from '../domain/task.js';
import type { Logger } from '../logger.js';
import { toActivityFailure } from './failures.js';

export interface ActivityScope {
  log: Logger;
  /** Aborted when Temporal cancels the activity (delivered through heartbeats). */
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
}

/**
 * How often a running activity heartbeats. A cancellation request is delivered only in the answer
 * to a heartbeat, so this bounds how long a cancel takes to reach an activity waiting on a slow
 * provider; the worker sends heartbeats unthrottled at this pace (temporal/worker.ts).
 */
export const HEARTBEAT_INTERVAL = '1 second';
const HEARTBEAT_EVERY_MS = 1_000;

export async function runActivity<T>(
  logger: Logger,
  name: string,
  taskId: string | undefined,
  fn: (scope: ActivityScope) => Promise<T>,
): Promise<T> {
  const ctx = Context.current();
  const { workflowExecution, attempt } = ctx.info;
  const workflowId = workflowExecution?.workflowId;
  // Every line of the activity names its run; activities whose input has no task id take it from the workflow id.
  const log = logger.child({ activity: name, task_id: taskId ?? taskIdOfWorkflowId(workflowId), workflow_id: workflowId, attempt });
  const started = Date.now();
  // Heartbeat in the background so a crashed worker is noticed within the heartbeat timeout
  // and a cancellation request reaches us even while we wait on a provider.
  const timer = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
  timer.unref();
  try {
    ctx.heartbeat();
    const result = await fn({ log, signal: ctx.cancellationSignal, heartbeat: (d) => ctx.heartbeat(d) });
    log.info({ duration_ms: Date.now() - started }, `${name} done`);
    return result;
  } catch (err) {
    if (ctx.cancellationSignal.aborted) {
      // Report as cancelled (not failed), so the workflow sees a cancellation, not a retry.
      log.info({ duration_ms: Date.now() - started }, `${name} cancelled`);
      throw err instanceof CancelledFailure ? err : new CancelledFailure(`${name} cancelled`);
    }
    const failure = toActivityFailure(err);
    // The full error (provider body, database text, stack) goes to the log only; the failure carries the public message.
    log.warn({ duration_ms: Date.now() - started, err, type: (failure as { type?: string }).type, public_message: failure.message }, `${name} failed`);
    throw failure;
  } finally {
    clearInterval(timer);
  }
}
