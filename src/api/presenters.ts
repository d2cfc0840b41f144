/** Response shapes of SPEC §8 (snake_case), built from rows and live workflow progress. */
import { BUCKETS, type ConceptWithVariations, type ObjectRef } from '../domain/concept.js';
import { STEP_PERCENT, type Progress, type TaskRecord, type TaskStatus, type TaskStep, type TaskType } from '../domain/task.js';
import type { TaskSnapshot } from '../usecases/read-tasks.js';

export interface ProgressView {
  step: TaskStep;
  percent: number;
  message: string;
  variations_done: number;
  variations_total: number;
}

export interface TaskView {
  /** The same as task_id (the original frontend reads `id`). */
  id: string;
  task_id: string;
  type: TaskType;
  status: TaskStatus;
  workflow_id: string | null;
  created_at: string;
  updated_at: string;
  result_id: string | null;
  error_message: string | null;
  metadata: Record<string, unknown>;
  progress: ProgressView;
  links: { self: string; events: string; result: string | null };
}

export interface ConceptView {
  id: string;
  task_id: string;
  created_at: string;
  logo_description: string;
  theme_description: string;
  image_url: string;
  /** The object path in the concept bucket (`{user_id}/…`): what the export endpoint takes as image_identifier. */
  image_path: string;
  original_concept_id: string | null;
  refinement_prompt: string | null;
  color_variations: { id: string; palette_name: string; colors: string[]; description: string; image_url: string; image_path: string }[];
}

export const taskLinks = (task: Pick<TaskRecord, 'id' | 'result_id'>) => ({
  self: `/api/tasks/${task.id}`,
  events: `/api/tasks/${task.id}/events`,
  result: task.result_id ? `/api/concepts/${task.result_id}` : null,
});

/**
 * Progress as far as the row tells it: used for finished tasks and when the workflow cannot be
 * queried. Variation counts are only known live, so they read 0 here.
 */
export function progressFromRow(task: TaskRecord): ProgressView {
  const base = { variations_done: 0, variations_total: 0 };
  switch (task.status) {
    case 'pending':
      return { ...base, step: 'claim', percent: 0, message: 'Queued' };
    case 'processing':
      return { ...base, step: 'claim', percent: STEP_PERCENT.claim, message: 'Processing' };
    case 'completed':
      return { ...base, step: 'complete', percent: 100, message: 'Concept ready' };
    case 'failed':
      return { ...base, step: 'complete', percent: 100, message: `Failed: ${task.error_message ?? 'unknown error'}` };
    case 'canceled':
      return { ...base, step: 'complete', percent: 100, message: 'Canceled' };
  }
}

const fromLive = (p: Progress): ProgressView => ({
  step: p.step,
  percent: Math.max(0, Math.min(100, Math.round(p.percent))),
  message: p.message,
  variations_done: p.variations_done,
  variations_total: p.variations_total,
});

/** A task; `live` (the workflow's getProgress answer) is used only while the row is active. */
export function presentTask(task: TaskRecord, live: Progress | null): TaskView {
  const active = task.status === 'pending' || task.status === 'processing';
  return {
    id: task.id,
    task_id: task.id,
    type: task.type,
    status: task.status,
    workflow_id: task.workflow_id,
    created_at: task.created_at,
    updated_at: task.updated_at,
    result_id: task.result_id,
    error_message: task.error_message,
    metadata: task.metadata,
    progress: active && live ? fromLive(live) : progressFromRow(task),
    links: taskLinks(task),
  };
}

/** A task as the read use case gives it (row + live progress). */
export const presentSnapshot = (snapshot: TaskSnapshot): TaskView => presentTask(snapshot.task, snapshot.live);

export type SignUrl = (ref: ObjectRef) => Promise<string>;

/** A concept with fresh signed URLs for its image and every variation (signed concurrently). */
export async function presentConcept(concept: ConceptWithVariations, sign: SignUrl): Promise<ConceptView> {
  const variations = [...concept.color_variations].sort((a, b) => a.position - b.position);
  const [imageUrl, ...variationUrls] = await Promise.all([
    sign({ bucket: BUCKETS.concepts, path: concept.image_path }),
    ...variations.map((v) => sign({ bucket: BUCKETS.palettes, path: v.image_path })),
  ]);
  return {
    id: concept.id,
    task_id: concept.task_id,
    created_at: concept.created_at,
    logo_description: concept.logo_description,
    theme_description: concept.theme_description,
    image_url: imageUrl!,
    image_path: concept.image_path,
    original_concept_id: concept.original_concept_id,
    refinement_prompt: concept.refinement_prompt,
    color_variations: variations.map((v, i) => ({
      id: v.id,
      palette_name: v.palette_name,
      colors: v.colors,
      description: v.description,
      image_url: variationUrls[i]!,
      image_path: v.image_path,
    })),
  };
}
