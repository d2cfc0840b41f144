/**
 * Reading the user's tasks with live progress. A task's row is the authority on its status; while
 * it is `processing`, the run's own progress (the workflow's getProgress query) is added, read
 * through the ProgressCache (one query per run at a time) and left out when the query fails.
 *
 * A pending task is shown from its row ('Queued'): its run has not claimed it yet, so the workflow
 * has nothing more to tell, and a query would wait on a worker that has not picked the run up
 * (seconds under a backlog) — on every start and every poll of a queued task.
 */
import type { Progress, TaskRecord, TaskStatus, TaskType } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskRepository } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import { ProgressCache } from './progress-cache.js';

/** A task as stored, with the run's live progress when it has some to tell. */
export interface TaskSnapshot {
  task: TaskRecord;
  live: Progress | null;
}

export interface TaskListQuery {
  status?: TaskStatus;
  type?: TaskType;
  limit: number;
  before?: string;
}

export class TaskReads {
  private readonly progress: ProgressCache;

  constructor(
    private readonly tasks: TaskRepository,
    runs: Pick<ConceptRuns, 'getProgress'>,
    /** Live progress younger than `progressFreshMs` is reused rather than queried again. */
    options: { progressFreshMs?: number; now?: () => number } = {},
  ) {
    this.progress = new ProgressCache((workflowId) => runs.getProgress(workflowId), { freshMs: options.progressFreshMs, now: options.now });
  }

  /** The user's task as stored (null for another user's or a missing one). */
  row(userId: string, taskId: string): Promise<TaskRecord | null> {
    return this.tasks.get(taskId, userId);
  }

  /** The user's task with live progress (null for another user's or a missing one). */
  async find(userId: string, taskId: string, log?: Logger): Promise<TaskSnapshot | null> {
    const task = await this.row(userId, taskId);
    return task ? this.snapshot(task, log) : null;
  }

  /** The user's task rows, newest first (see TaskRepository.list for `before`); `snapshot` the ones shown. */
  list(userId: string, query: TaskListQuery): Promise<TaskRecord[]> {
    return this.tasks.list(userId, query);
  }

  async snapshot(task: TaskRecord, log?: Logger): Promise<TaskSnapshot> {
    if (task.status !== 'processing' || !task.workflow_id) return { task, live: null };
    try {
      return { task, live: await this.progress.get(task.workflow_id) };
    } catch (err) {
      log?.debug({ err, task_id: task.id }, 'progress query failed; showing the stored state');
      return { task, live: null };
    }
  }
}
