/**
 * Starting a generation or a refinement run.
 *
 * The task row is inserted first (the database enforces one active task per user and type, and one
 * task per Idempotency-Key), then the workflow is started under the id derived from the task, so a
 * retried start can never make a second run. While Temporal does not answer a ping nothing is
 * inserted at all. A start that fails marks the task failed (never left pending). A pending task
 * older than a minute whose workflow does not exist (the API died between insert and start) is
 * failed and the insert retried once (why this window is kept: docs/architecture.md). Only an
 * accepted start (a new task, not a conflict or a replay) uses a unit of the user's quota; a
 * refused one removes its never-started row, and a start that fails gives the unit back.
 *
 * Every answer is a StartOutcome; the routes decide what each means over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { GenerateConceptInput, GenerateRequest, RefineConceptInput, RefineRequest } from '../domain/inputs.js';
import { quotaCategoryOf, type QuotaCategory, type QuotaDecision, type QuotaWindowUsage } from '../domain/quota.js';
import { workflowIdFor, type TaskRecord, type TaskType } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Persistence, TaskRepository } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import type { QuotaService } from './quotas.js';
import type { TaskReads, TaskSnapshot } from './read-tasks.js';
import { resolveOriginal, type ResolvedOriginal } from './refine-original.js';

/** The task's error_message when the workflow could not be started (details go to the log). */
export const START_FAILED_MESSAGE = 'Could not start the run: the workflow engine is unavailable. Try again shortly.';

/** A pending task this old without a workflow was orphaned by a crash between insert and start. */
export const STALE_PENDING_MS = 60_000;

export type StartOutcome =
  /** A new task whose run was started; `quota` is the user's standing after it. */
  | { kind: 'created'; task: TaskSnapshot; quota: QuotaWindowUsage[] }
  /** The task an earlier request with the same Idempotency-Key made (its lost start completed). */
  | { kind: 'replayed'; task: TaskSnapshot; quota: QuotaWindowUsage[] }
  /** The user already has an active task of this type; nothing was started. */
  | { kind: 'active_conflict'; type: TaskType; task: TaskSnapshot }
  /** The Idempotency-Key belongs to a task made by a different request. */
  | { kind: 'idempotency_key_reused'; task: TaskRecord }
  /** A quota window is full; the task was not kept. */
  | { kind: 'quota_exceeded'; category: QuotaCategory; decision: QuotaDecision }
  /** Temporal did not answer: nothing was stored, the client may retry. */
  | { kind: 'engine_unavailable' }
  /** The workflow could not be started: the task is failed and its quota unit given back. */
  | { kind: 'start_failed'; task: TaskSnapshot };

export interface RunStarterDeps {
  persistence: Persistence;
  runs: ConceptRuns;
  quotas: QuotaService;
  reads: TaskReads;
  now?: () => number;
}

interface StartPlan {
  userId: string;
  type: TaskType;
  /** The validated request, stored as the task's metadata. */
  request: Record<string, unknown>;
  idempotencyKey: string | null;
  /** Starts the workflow for a task id (idempotent per id): temporal/temporal-runs.ts. */
  launch: (taskId: string) => Promise<unknown>;
  log: Logger;
}

export class RunStarter {
  private readonly persistence: Persistence;
  private readonly tasks: TaskRepository;
  private readonly runs: ConceptRuns;
  private readonly quotas: QuotaService;
  private readonly reads: TaskReads;
  private readonly now: () => number;

  constructor(deps: RunStarterDeps) {
    this.persistence = deps.persistence;
    this.tasks = deps.persistence.tasks;
    this.runs = deps.runs;
    this.quotas = deps.quotas;
    this.reads = deps.reads;
    this.now = deps.now ?? Date.now;
  }

  startGeneration(userId: string, request: GenerateRequest, idempotencyKey: string | null, log: Logger): Promise<StartOutcome> {
    const launch = (taskId: string) => this.runs.startGeneration(generationInput(taskId, userId, request));
    return this.start({ userId, type: 'generation', request, idempotencyKey, launch, log });
  }

  /** Resolves the original the user names (400/404 as domain errors), then starts like a generation. */
  async startRefinement(userId: string, request: RefineRequest, idempotencyKey: string | null, log: Logger): Promise<StartOutcome> {
    const original = await resolveOriginal(this.persistence, userId, request);
    const launch = (taskId: string) => this.runs.startRefinement(refinementInput(taskId, userId, request, original));
    return this.start({ userId, type: 'refinement', request, idempotencyKey, launch, log });
  }

  private async start(plan: StartPlan): Promise<StartOutcome> {
    if (!(await this.engineAnswers(plan.log))) return { kind: 'engine_unavailable' };
    const taskId = randomUUID();
    const newTask = {
      id: taskId,
      user_id: plan.userId,
      type: plan.type,
      workflow_id: workflowIdFor(plan.type, taskId),
      metadata: plan.request,
      idempotency_key: plan.idempotencyKey,
    };
    let result = await this.tasks.create(newTask);
    if (result.outcome === 'active_conflict' && (await this.failOrphan(result.task, plan.log))) {
      result = await this.tasks.create(newTask);
    }
    const { task } = result;
    if (result.outcome === 'created') return (await this.launchCounted(task, plan)) ?? this.accepted('created', task, plan);
    // An active task carrying this very key is the same request racing itself: a replay.
    const replay = result.outcome === 'idempotent_replay' || (plan.idempotencyKey !== null && task.idempotency_key === plan.idempotencyKey);
    if (!replay) return { kind: 'active_conflict', type: plan.type, task: await this.reads.snapshot(task, plan.log) };
    if (!sameRequest(task, plan.request)) return { kind: 'idempotency_key_reused', task };
    // A replay never starts a second run; it only completes a start the first request lost.
    if (task.status === 'pending' && task.workflow_id && !(await this.runs.exists(task.workflow_id))) {
      const refused = await this.launchCounted(task, plan);
      if (refused) return refused;
    }
    return this.accepted('replayed', (await this.tasks.get(task.id, plan.userId)) ?? task, plan);
  }

  private async accepted(kind: 'created' | 'replayed', task: TaskRecord, plan: StartPlan): Promise<StartOutcome> {
    const quota = await this.quotas.usage(plan.userId, quotaCategoryOf(plan.type));
    return { kind, quota, task: await this.reads.snapshot(task, plan.log) };
  }

  /** Takes a unit of quota for the task (once per task id), then starts it; null when it started. */
  private async launchCounted(task: TaskRecord, plan: StartPlan): Promise<StartOutcome | null> {
    const category = quotaCategoryOf(task.type);
    const decision = await this.quotas.take(plan.userId, category, task.id).catch(async (err: unknown) => {
      await this.tasks.discard(task.id).catch(() => undefined);
      throw err;
    });
    if (!decision.granted) {
      await this.tasks.discard(task.id);
      return { kind: 'quota_exceeded', category, decision };
    }
    const failed = await this.launch(task, plan);
    if (failed) {
      await this.quotas
        .refund(category, task.id)
        .catch((refundErr: unknown) => plan.log.error({ err: refundErr, task_id: task.id }, 'could not give back the quota of a failed start'));
    }
    return failed;
  }

  private async launch(task: TaskRecord, plan: StartPlan): Promise<StartOutcome | null> {
    try {
      await plan.launch(task.id);
      plan.log.info({ task_id: task.id, workflow_id: task.workflow_id, type: task.type }, 'run started');
      return null;
    } catch (err) {
      // The engine's error (addresses, gRPC status) is for operators: logged here with the task id.
      plan.log.error({ err, task_id: task.id, workflow_id: task.workflow_id }, 'could not start the workflow');
      await this.tasks
        .finish(task.id, 'failed', START_FAILED_MESSAGE)
        .catch((finishErr: unknown) => plan.log.error({ err: finishErr, task_id: task.id }, 'could not mark the task failed'));
      const failed = (await this.tasks.get(task.id).catch(() => null)) ?? task;
      return { kind: 'start_failed', task: { task: failed, live: null } };
    }
  }

  /** False while Temporal does not answer (not connected yet, or down): then nothing is stored. */
  private async engineAnswers(log: Logger): Promise<boolean> {
    try {
      await this.runs.ping();
      return true;
    } catch (err) {
      log.warn({ err: (err as Error)?.message ?? String(err) }, 'run not started: the workflow engine is unavailable');
      return false;
    }
  }

  /** Fails a pending task whose workflow never started (see STALE_PENDING_MS); true when it did. */
  private async failOrphan(task: TaskRecord, log: Logger): Promise<boolean> {
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
    await this.tasks.finish(task.id, 'failed', 'The run was never started (the API stopped before starting it)');
    await this.quotas.refund(quotaCategoryOf(task.type), task.id);
    return true;
  }
}

function sameRequest(task: TaskRecord, request: Record<string, unknown>): boolean {
  return Object.entries(request).every(([key, value]) => isDeepStrictEqual(task.metadata[key], value));
}

function generationInput(taskId: string, userId: string, request: GenerateRequest): GenerateConceptInput {
  return {
    task_id: taskId,
    user_id: userId,
    logo_description: request.logo_description,
    theme_description: request.theme_description,
    num_palettes: request.num_palettes,
  };
}

function refinementInput(taskId: string, userId: string, request: RefineRequest, original: ResolvedOriginal): RefineConceptInput {
  return {
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
}
