/**
 * Canceling one of the user's active tasks: the run is asked to cancel (the workflow then marks the
 * task canceled and cleans up); a task with no live run is finished here, since nothing else ever
 * will. Every answer is a CancelOutcome; the routes decide what each means over HTTP.
 */
import { isTerminalStatus } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskRepository } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import type { TaskReads, TaskSnapshot } from './read-tasks.js';

export type CancelOutcome =
  /** Cancellation was requested (or the run-less task finished as canceled). */
  | { kind: 'cancel_requested'; task: TaskSnapshot }
  /** Not a task of this user. */
  | { kind: 'not_found' }
  /** The task had already finished; nothing changed. */
  | { kind: 'already_finished'; task: TaskSnapshot }
  /** Temporal did not answer; nothing changed. */
  | { kind: 'engine_unavailable' };

export class TaskCanceler {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly runs: Pick<ConceptRuns, 'cancel'>,
    private readonly reads: TaskReads,
  ) {}

  async cancel(userId: string, taskId: string, log: Logger): Promise<CancelOutcome> {
    const task = await this.tasks.get(taskId, userId);
    if (!task) return { kind: 'not_found' };
    if (isTerminalStatus(task.status)) return { kind: 'already_finished', task: await this.reads.snapshot(task) };
    let running: boolean;
    try {
      running = task.workflow_id ? await this.runs.cancel(task.workflow_id) : false;
    } catch (err) {
      log.warn({ err, task_id: task.id }, 'cancel request to the workflow engine failed');
      return { kind: 'engine_unavailable' };
    }
    if (!running) {
      // No live workflow will ever finish this row: finish it here (a no-op if it just finished).
      const message = task.status === 'pending' ? 'Canceled before the run started' : 'Canceled (the run was no longer active)';
      await this.tasks.finish(task.id, 'canceled', message);
    }
    log.info({ task_id: task.id, workflow_id: task.workflow_id, workflow_running: running }, 'cancel requested');
    return { kind: 'cancel_requested', task: await this.reads.snapshot((await this.tasks.get(task.id, userId)) ?? task, log) };
  }
}
