/**
 * Starting and canceling runs, and reading tasks with live progress.
 *
 * Start: the task row is inserted first (the database enforces one active task per user and
 * type, and one task per Idempotency-Key), then the workflow is started under the id derived from
 * the task, so a retried start can never make a second run. A start that fails marks the task
 * failed (never left pending); while Temporal does not answer a ping, nothing is inserted at all
 * (503). A pending task older than a minute whose workflow does not exist (the API died between
 * insert and start) is failed and the insert retried once. Only an accepted start (a new task, not
 * a conflict or a replay) uses a unit of the user's quota; a refused one removes its never-started
 * row, and a start that fails gives the unit back.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { NotFoundError } from '../domain/errors.js';
import type { GenerateConceptInput, GenerateRequest, RefineConceptInput, RefineRequest } from '../domain/inputs.js';
import { quotaCategoryOf } from '../domain/quota.js';
import { isTerminalStatus, workflowIdFor, type Progress, type TaskRecord, type TaskType } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { CreateTaskResult, Persistence } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import type { QuotaService } from '../usecases/quotas.js';
import { HttpError } from './errors.js';
import type { ResolvedOriginal } from './original-image.js';
import { presentTask, type TaskView } from './presenters.js';
import { ProgressCache } from './progress-cache.js';
import { quotaExceeded } from './quota-http.js';

/** The task's error_message when the workflow could not be started (details go to the log). */
export const START_FAILED_MESSAGE = 'Could not start the run: the workflow engine is unavailable. Try again shortly.';

/** A pending task this old without a workflow was orphaned by a crash between insert and start. */
export const STALE_PENDING_MS = 60_000;

export interface TaskServiceDeps {
  persistence: Persistence;
  runs: ConceptRuns;
  quotas: QuotaService;
  now?: () => number;
  /** Live progress younger than this is reused rather than queried again (see ProgressCache). */
  progressFreshMs?: number;
}

interface StartPlan {
  userId: string;
  type: TaskType;
  /** The validated request, stored as the task's metadata. */
  request: Record<string, unknown>;
  idempotencyKey: string | null;
  /** Starts the workflow for a task id (idempotent per id). */
  start: (taskId: string) => Promise<unknown>;
  log: Logger;
}

export class TaskService {
  private readonly persistence: Persistence;
  private readonly runs: ConceptRuns;
  private readonly quotas: QuotaService;
  private readonly now: () => number;
  private readonly progress: ProgressCache;

  constructor(deps: TaskServiceDeps) {
    this.persistence = deps.persistence;
    this.runs = deps.runs;
    this.quotas = deps.quotas;
    this.now = deps.now ?? Date.now;
    this.progress = new ProgressCache((workflowId) => this.runs.getProgress(workflowId), { freshMs: deps.progressFreshMs, now: this.now });
  }

  startGeneration(userId: string, request: GenerateRequest, idempotencyKey: string | null, log: Logger): Promise<TaskRecord> {
    return this.startRun({
      userId,
      type: 'generation',
      request,
      idempotencyKey,
      log,
      start: (taskId) => {
        const input: GenerateConceptInput = {
          task_id: taskId,
          user_id: userId,
          logo_description: request.logo_description,
          theme_description: request.theme_description,
          num_palettes: request.num_palettes,
        };
        return this.runs.startGeneration(input);
      },
    });
  }

  startRefinement(userId: string, request: RefineRequest, original: ResolvedOriginal, idempotencyKey: string | null, log: Logger): Promise<TaskRecord> {
    return this.startRun({
      userId,
      type: 'refinement',
      request,
      idempotencyKey,
      log,
      start: (taskId) => {
        const input: RefineConceptInput = {
          task_id: taskId,
          user_id: userId,
          refinement_prompt: request.refinement_prompt,
          original: original.original,
          original_concept_id: original.original_concept_id,
          original_image_url: original.original_image_url,
          logo_description: original.logo_description,
          theme_description: original.theme_description,
          preserve_aspects: request.preserve_aspects,
          num_palettes: request.num_palettes,
        };
        return this.runs.startRefinement(input);
      },
    });
  }

  /** Cancels an active task: 404 when not the user's, 409 when already finished. */
  async cancel(userId: string, taskId: string, log: Logger): Promise<TaskRecord> {
    const task = await this.persistence.tasks.get(taskId, userId);
    if (!task) throw new NotFoundError('Task not found');
    if (isTerminalStatus(task.status)) throw await this.finishedConflict(task);
    let running: boolean;
    try {
      running = task.workflow_id ? await this.runs.cancel(task.workflow_id) : false;
    } catch (err) {
      log.warn({ err, task_id: task.id }, 'cancel request to the workflow engine failed');
      throw new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable; try again shortly');
    }
    if (!running) {
      // No live workflow will ever finish this row: finish it here (a no-op if it just finished).
      const message = task.status === 'pending' ? 'Canceled before the run started' : 'Canceled (the run was no longer active)';
      await this.persistence.tasks.finish(task.id, 'canceled', message);
    }
    log.info({ task_id: task.id, workflow_id: task.workflow_id, workflow_running: running }, 'cancel requested');
    return (await this.persistence.tasks.get(task.id, userId)) ?? task;
  }

  /**
   * The task with live progress while it is processing (row-derived when the query fails). A
   * pending task is shown from its row ('Queued'): its run has not claimed it yet, so the workflow
   * has nothing more to tell, and a query would wait on a worker that has not picked the run up
   * (seconds under a backlog) — on every POST that starts a run and every poll of a queued task.
   * A processing task's progress comes through the ProgressCache: one query per run at a time.
   */
  async view(task: TaskRecord, log?: Logger): Promise<TaskView> {
    let live: Progress | null = null;
    if (task.status === 'processing' && task.workflow_id) {
      try {
        live = await this.progress.get(task.workflow_id);
      } catch (err) {
        log?.debug({ err, task_id: task.id }, 'progress query failed; showing the stored state');
      }
    }
    return presentTask(task, live);
  }

  private async startRun(plan: StartPlan): Promise<TaskRecord> {
    await this.requireWorkflowEngine(plan.log);
    const taskId = randomUUID();
    const newTask = {
      id: taskId,
      user_id: plan.userId,
      type: plan.type,
      workflow_id: workflowIdFor(plan.type, taskId),
      metadata: plan.request,
      idempotency_key: plan.idempotencyKey,
    };
    let result = await this.persistence.tasks.create(newTask);
    if (result.outcome === 'active_conflict' && (await this.healStalePending(result.task, plan.log))) {
      result = await this.persistence.tasks.create(newTask);
    }
    return this.settle(result, plan);
  }

  private async settle(result: CreateTaskResult, plan: StartPlan): Promise<TaskRecord> {
    const { task } = result;
    // The active task carries this very key: the same request raced itself, so it is a replay.
    const outcome =
      result.outcome === 'active_conflict' && plan.idempotencyKey !== null && task.idempotency_key === plan.idempotencyKey
        ? 'idempotent_replay'
        : result.outcome;
    switch (outcome) {
      case 'created':
        await this.startCounted(task, plan);
        return task;
      case 'active_conflict':
        throw new HttpError(409, 'active_task', `You already have an active ${plan.type} task`, {
          details: { task_id: task.id },
          body: { task: await this.view(task, plan.log) },
        });
      case 'idempotent_replay': {
        if (!this.sameRequest(task, plan.request)) {
          throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request', {
            details: { task_id: task.id },
          });
        }
        // A replay never starts a second run; it only completes a start the first request lost.
        if (task.status === 'pending' && task.workflow_id && !(await this.runs.exists(task.workflow_id))) {
          await this.startCounted(task, plan);
        }
        return (await this.persistence.tasks.get(task.id, plan.userId)) ?? task;
      }
    }
  }

  /** Takes a unit of quota for the task (once per task id), then starts it; see the file comment. */
  private async startCounted(task: TaskRecord, plan: StartPlan): Promise<void> {
    const category = quotaCategoryOf(task.type);
    const decision = await this.quotas.take(plan.userId, category, task.id).catch(async (err: unknown) => {
      await this.persistence.tasks.discard(task.id).catch(() => undefined);
      throw err;
    });
    if (!decision.granted) {
      await this.persistence.tasks.discard(task.id);
      throw quotaExceeded(category, decision, this.now());
    }
    try {
      await this.launch(task, plan);
    } catch (err) {
      await this.quotas
        .refund(category, task.id)
        .catch((refundErr: unknown) => plan.log.error({ err: refundErr, task_id: task.id }, 'could not give back the quota of a failed start'));
      throw err;
    }
  }

  private async launch(task: TaskRecord, plan: StartPlan): Promise<void> {
    try {
      await plan.start(task.id);
      plan.log.info({ task_id: task.id, workflow_id: task.workflow_id, type: task.type }, 'run started');
    } catch (err) {
      // The engine's error (addresses, gRPC status) is for operators: logged here with the task id.
      plan.log.error({ err, task_id: task.id, workflow_id: task.workflow_id }, 'could not start the workflow');
      await this.persistence.tasks
        .finish(task.id, 'failed', START_FAILED_MESSAGE)
        .catch((finishErr: unknown) => plan.log.error({ err: finishErr, task_id: task.id }, 'could not mark the task failed'));
      const failed = (await this.persistence.tasks.get(task.id).catch(() => null)) ?? task;
      throw new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable; the task was marked failed. Try again shortly.', {
        details: { task_id: task.id },
        body: { task: presentTask(failed, null) },
      });
    }
  }

  /**
   * Refuses a start before anything is stored while Temporal does not answer (not connected yet,
   * or down): a 503 the client can retry, and no task row left behind.
   */
  private async requireWorkflowEngine(log: Logger): Promise<void> {
    try {
      await this.runs.ping();
    } catch (err) {
      log.warn({ err: (err as Error)?.message ?? String(err) }, 'run not started: the workflow engine is unavailable');
      throw new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable, so no run was started; try again shortly.', {
        headers: { 'Retry-After': '5' },
      });
    }
  }

  private async healStalePending(task: TaskRecord, log: Logger): Promise<boolean> {
    if (task.status !== 'pending' || !task.workflow_id) return false;
    if (this.now() - Date.parse(task.created_at) <= STALE_PENDING_MS) return false;
    let exists: boolean;
    try {
      exists = await this.runs.exists(task.workflow_id);
    } catch {
      return false;
    }
    if (exists) return false;
    log.warn({ task_id: task.id, workflow_id: task.workflow_id }, 'failing a stale pending task whose workflow never started');
    await this.persistence.tasks.finish(task.id, 'failed', 'The run was never started (the API stopped before starting it)');
    await this.quotas.refund(quotaCategoryOf(task.type), task.id);
    return true;
  }

  private sameRequest(task: TaskRecord, request: Record<string, unknown>): boolean {
    return Object.entries(request).every(([key, value]) => isDeepStrictEqual(task.metadata[key], value));
  }

  private async finishedConflict(task: TaskRecord): Promise<HttpError> {
    return new HttpError(409, 'task_finished', `The task is already ${task.status}`, {
      details: { task_id: task.id },
      body: { task: await this.view(task) },
    });
  }
}
