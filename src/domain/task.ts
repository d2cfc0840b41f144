/** Task lifecycle and progress: shared by API, workflows and persistence. No Node builtins. */

export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed', 'canceled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const ACTIVE_STATUSES: readonly TaskStatus[] = ['pending', 'processing'];
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'canceled'];
export const isTerminalStatus = (s: TaskStatus): boolean => TERMINAL_STATUSES.includes(s);

export const TASK_TYPES = ['generation', 'refinement'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STEPS = ['claim', 'base_image', 'store_base_image', 'palettes', 'variations', 'store', 'complete'] as const;
export type TaskStep = (typeof TASK_STEPS)[number];

/**
 * Percent at the start of each step, for the workflow's progress and the API's view of a task row
 * alike; the variations fill the span from `variations` up to `store` as they finish.
 */
export const STEP_PERCENT: Readonly<Record<TaskStep, number>> = {
  claim: 2,
  base_image: 10,
  store_base_image: 35,
  palettes: 40,
  variations: 45,
  store: 92,
  complete: 97,
};

/** Live progress of a run, as the `getProgress` query returns it and the API shows it. */
export interface Progress {
  step: TaskStep;
  percent: number;
  message: string;
  variations_done: number;
  variations_total: number;
  /** Terminal state as the workflow sees it; `running` until then. */
  state: 'running' | 'completed' | 'failed' | 'canceled';
  result_id: string | null;
  error: string | null;
  /** Palettes whose variation failed (partial success), with the reason. */
  failed_variations: { palette_name: string; error: string }[];
}

/** Progress of a run that has not done anything yet. */
export const initialProgress = (): Progress => ({
  step: 'claim',
  percent: 0,
  message: 'Queued',
  variations_done: 0,
  variations_total: 0,
  state: 'running',
  result_id: null,
  error: null,
  failed_variations: [],
});

/** A row of the `tasks` table. Timestamps are ISO strings. */
export interface TaskRecord {
  id: string;
  user_id: string;
  type: TaskType;
  status: TaskStatus;
  workflow_id: string | null;
  metadata: Record<string, unknown>;
  result_id: string | null;
  error_message: string | null;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
}

export const workflowIdFor = (type: TaskType, taskId: string): string =>
  type === 'generation' ? `concept-generation-${taskId}` : `concept-refinement-${taskId}`;

/** The task id inside a workflow id made by workflowIdFor; undefined for any other id. */
export const taskIdOfWorkflowId = (workflowId: string | undefined): string | undefined =>
  workflowId?.match(/^concept-(?:generation|refinement)-(.+)$/)?.[1];
