/**
 * An in-memory ConceptRuns that behaves like Temporal does for the API: each workflow id starts
 * once (a duplicate start is accepted and ignored), progress is whatever the test programs,
 * cancel marks the task canceled in persistence like the workflow would, and starts, queries and
 * pings can be made to fail. Helpers drive a run's task row the way the workflow's activities do.
 */
import type { GenerateConceptInput, RefineConceptInput } from '../../src/domain/inputs.js';
import { initialProgress, workflowIdFor, type Progress, type TaskType } from '../../src/domain/task.js';
import type { TaskRepository } from '../../src/persistence/ports.js';
import type { ConceptRuns } from '../../src/temporal/runs.js';

export type StartedRun =
  | { type: 'generation'; workflowId: string; input: GenerateConceptInput }
  | { type: 'refinement'; workflowId: string; input: RefineConceptInput };

interface FakeWorkflow {
  run: StartedRun;
  taskId: string;
  running: boolean;
  progress: Progress;
}

export class FakeConceptRuns implements ConceptRuns {
  /** Every workflow actually started, in order (one per id). */
  readonly started: StartedRun[] = [];
  /** Every start call, including duplicates. */
  startCalls = 0;
  /** Set to make the next starts throw (Temporal unreachable). */
  startError: Error | null = null;
  queryError: Error | null = null;
  /** Every progress query made. */
  queryCalls = 0;
  pingError: Error | null = null;
  /** When set, ping never settles (a hung dependency). */
  pingHangs = false;
  readonly cancelCalls: string[] = [];
  private readonly workflows = new Map<string, FakeWorkflow>();

  constructor(private readonly tasks: TaskRepository) {}

  startGeneration(input: GenerateConceptInput): Promise<{ workflowId: string }> {
    return this.start({ type: 'generation', workflowId: workflowIdFor('generation', input.task_id), input });
  }

  startRefinement(input: RefineConceptInput): Promise<{ workflowId: string }> {
    return this.start({ type: 'refinement', workflowId: workflowIdFor('refinement', input.task_id), input });
  }

  private async start(run: StartedRun): Promise<{ workflowId: string }> {
    this.startCalls += 1;
    await Promise.resolve();
    if (this.startError) throw this.startError;
    if (!this.workflows.has(run.workflowId)) {
      this.workflows.set(run.workflowId, { run, taskId: run.input.task_id, running: true, progress: initialProgress() });
      this.started.push(run);
    }
    return { workflowId: run.workflowId };
  }

  async getProgress(workflowId: string): Promise<Progress | null> {
    this.queryCalls += 1;
    if (this.queryError) throw this.queryError;
    const wf = this.workflows.get(workflowId);
    return wf ? { ...wf.progress, failed_variations: [...wf.progress.failed_variations] } : null;
  }

  async cancel(workflowId: string): Promise<boolean> {
    this.cancelCalls.push(workflowId);
    const wf = this.workflows.get(workflowId);
    if (!wf?.running) return false;
    wf.running = false;
    wf.progress = { ...wf.progress, state: 'canceled', message: 'Canceled' };
    await this.tasks.finish(wf.taskId, 'canceled', 'Canceled by request');
    return true;
  }

  async exists(workflowId: string): Promise<boolean> {
    return this.workflows.has(workflowId);
  }

  async ping(): Promise<void> {
    if (this.pingHangs) return new Promise<void>(() => undefined);
    if (this.pingError) throw this.pingError;
  }

  // ---- driving a run like the workflow would ----

  workflowIdOf(type: TaskType, taskId: string): string {
    return workflowIdFor(type, taskId);
  }

  private workflow(workflowId: string): FakeWorkflow {
    const wf = this.workflows.get(workflowId);
    if (!wf) throw new Error(`fake: no workflow ${workflowId}`);
    return wf;
  }

  /** The claim activity: the task row becomes processing. */
  async claim(workflowId: string): Promise<void> {
    const wf = this.workflow(workflowId);
    const result = await this.tasks.claim(wf.taskId, workflowId);
    if (!result.claimed) throw new Error(`fake: could not claim ${wf.taskId}`);
  }

  setProgress(workflowId: string, patch: Partial<Progress>): void {
    const wf = this.workflow(workflowId);
    wf.progress = { ...wf.progress, ...patch };
  }

  async complete(workflowId: string, resultId: string): Promise<void> {
    const wf = this.workflow(workflowId);
    wf.running = false;
    wf.progress = { ...wf.progress, step: 'complete', percent: 100, state: 'completed', result_id: resultId, message: 'Concept ready' };
    if (!(await this.tasks.complete(wf.taskId, resultId))) throw new Error(`fake: could not complete ${wf.taskId}`);
  }

  async fail(workflowId: string, message: string): Promise<void> {
    const wf = this.workflow(workflowId);
    wf.running = false;
    wf.progress = { ...wf.progress, state: 'failed', error: message, message: `Failed: ${message}` };
    await this.tasks.finish(wf.taskId, 'failed', message);
  }
}
