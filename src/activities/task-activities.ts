/** Task row transitions: claim, complete, finish (failed/canceled). */
import { NotFoundError, TaskNotClaimableError, toReadableErrorMessage } from '../domain/errors.js';
import type { TaskRepository } from '../persistence/ports.js';
import type { Logger } from '../logger.js';
import type { RunMetrics, RunOutcome } from '../observability/metrics.js';
import { runActivity } from './run.js';
import type { ClaimTaskInput, CompleteTaskInput, FinishTaskInput } from './types.js';

/**
 * Counts a run's outcome once: right after this activity moved the row to its terminal state (a
 * retried attempt finds it already moved and counts nothing). Counted on the worker, where every
 * run ends, rather than in the API, which only learns an outcome if a client happens to ask.
 * Duration is from the start request (the row's created_at) to now.
 */
async function recordOutcome(tasks: TaskRepository, metrics: RunMetrics | undefined, taskId: string, outcome: RunOutcome, log: Logger) {
  if (!metrics) return;
  try {
    const task = await tasks.get(taskId);
    if (!task) return;
    metrics.runFinished({ type: task.type, outcome }, Math.max(0, Date.now() - Date.parse(task.created_at)) / 1000);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not record the run outcome metric');
  }
}

export function createTaskActivities(deps: { tasks: TaskRepository; logger: Logger; runMetrics?: RunMetrics }) {
  const { tasks, logger, runMetrics } = deps;
  return {
    /** pending → processing. Idempotent for this workflow; a finished task is never reopened. */
    async claimTask(input: ClaimTaskInput): Promise<void> {
      return runActivity(logger, 'claimTask', input.task_id, async () => {
        const result = await tasks.claim(input.task_id, input.workflow_id);
        if (result.claimed) return;
        if (!result.task) throw new NotFoundError(`Task ${input.task_id} does not exist`);
        throw new TaskNotClaimableError(
          `Task ${input.task_id} is ${result.task.status}${result.task.workflow_id !== input.workflow_id ? ' and belongs to another run' : ''}`,
        );
      });
    },

    /** processing → completed with the concept id. Idempotent. */
    async completeTask(input: CompleteTaskInput): Promise<void> {
      return runActivity(logger, 'completeTask', input.task_id, async ({ log }) => {
        if (await tasks.complete(input.task_id, input.concept_id)) return recordOutcome(tasks, runMetrics, input.task_id, 'completed', log);
        const task = await tasks.get(input.task_id);
        if (task?.status === 'completed' && task.result_id === input.concept_id) return;
        throw new TaskNotClaimableError(`Task ${input.task_id} cannot be completed: it is ${task?.status ?? 'missing'}`);
      });
    },

    /** pending|processing → failed|canceled with a readable message; a no-op when already finished. */
    async finishTask(input: FinishTaskInput): Promise<void> {
      return runActivity(logger, 'finishTask', input.task_id, async ({ log }) => {
        const changed = await tasks.finish(input.task_id, input.status, toReadableErrorMessage(input.error_message));
        if (changed) await recordOutcome(tasks, runMetrics, input.task_id, input.status, log);
        else log.info({ status: input.status }, 'task was already finished');
      });
    },
  };
}
