/** ConceptRuns over a real Temporal Client: start (idempotent by workflow id), query, cancel, describe. */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { GenerateConceptInput, RefineConceptInput } from '../domain/inputs.js';
import { workflowIdFor, type Progress, type TaskType } from '../domain/task.js';
import type { generateConcept, refineConcept } from '../workflows/index.js';
import { getProgressQuery } from '../workflows/messages.js';
import type { ConceptRuns } from './runs.js';
import { TaskIdKey, TaskStepKey, TaskTypeKey, UserIdKey } from '../workflows/search-attributes.js';

const QUERY_TIMEOUT_MS = 3_000;
const summaryText = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export class TemporalConceptRuns implements ConceptRuns {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  startGeneration(input: GenerateConceptInput): Promise<{ workflowId: string }> {
    return this.start<typeof generateConcept>('generateConcept', 'generation', input, {
      summary: `Generate: ${summaryText(input.logo_description)}`,
      details: `Task ${input.task_id} · user ${input.user_id} · ${input.num_palettes} palettes · theme: ${summaryText(input.theme_description, 200)}`,
    });
  }

  startRefinement(input: RefineConceptInput): Promise<{ workflowId: string }> {
    return this.start<typeof refineConcept>('refineConcept', 'refinement', input, {
      summary: `Refine: ${summaryText(input.refinement_prompt)}`,
      details: `Task ${input.task_id} · user ${input.user_id} · original ${input.original_concept_id ?? input.original.path}`,
    });
  }

  private async start<W extends typeof generateConcept | typeof refineConcept>(
    workflowType: string,
    type: TaskType,
    input: Parameters<W>[0],
    text: { summary: string; details: string },
  ): Promise<{ workflowId: string }> {
    const workflowId = workflowIdFor(type, input.task_id);
    try {
      await this.client.workflow.start(workflowType, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        // A task id runs at most once, ever: a retried start never makes a second run.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: TaskIdKey, value: input.task_id },
          { key: UserIdKey, value: input.user_id },
          { key: TaskTypeKey, value: type },
          { key: TaskStepKey, value: 'claim' },
        ],
        staticSummary: text.summary,
        staticDetails: text.details,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { workflowId };
  }

  async getProgress(workflowId: string): Promise<Progress | null> {
    try {
      return await this.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
        this.client.workflow.getHandle(workflowId).query(getProgressQuery),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  async cancel(workflowId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).cancel();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async exists(workflowId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.client.withDeadline(Date.now() + 2_000, () => this.client.workflowService.getSystemInfo({}));
  }
}
