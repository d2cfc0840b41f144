/** Task row transitions: claim, complete, finish (failed/canceled). */
import { NotFoundError, TaskNotClaimableError, toReadableErrorMessage } from '../domain/errors.js';
import type { TaskRepository } from '../persistence/ports.js';
import type { Logger } from '../logger.js';
import { runActivity } from './run.js';
import type { ClaimTaskInput, CompleteTaskInput, FinishTaskInput } from './types.js';

export function createTaskActivities(deps: { tasks: TaskRepository; logger: Logger }) {
  const { tasks, logger } = deps;
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
      return runActivity(logger, 'completeTask', input.task_id, async () => {
        if (await tasks.complete(input.task_id, input.concept_id)) return;
        const task = await tasks.get(input.task_id);
        if (task?.status === 'completed' && task.result_id === input.concept_id) return;
        throw new TaskNotClaimableError(`Task ${input.task_id} cannot be completed: it is ${task?.status ?? 'missing'}`);
      });
    },

    /** pending|processing → failed|canceled with a readable message; a no-op when already finished. */
    async finishTask(input: FinishTaskInput): Promise<void> {
      return runActivity(logger, 'finishTask', input.task_id, async ({ log }) => {
        const changed = await tasks.finish(input.task_id, input.status, toReadableErrorMessage(input.error_message));
        if (!changed) log.info({ status: input.status }, 'task was already finished');
      });
    },
  };
}
