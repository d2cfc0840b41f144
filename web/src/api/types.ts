/** The API's wire shapes the page reads (SPEC §8, docs/api.md); extra fields are ignored. */

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'canceled';
export type TaskStep = 'claim' | 'base_image' | 'store_base_image' | 'palettes' | 'variations' | 'store' | 'complete';

export interface FailedVariation {
  palette_name: string;
  error: string;
}

export interface TaskView {
  task_id: string;
  type: 'generation' | 'refinement';
  status: TaskStatus;
  created_at: string;
  updated_at: string;
  result_id: string | null;
  error_message: string | null;
  metadata: Record<string, unknown>;
  progress: {
    step: TaskStep;
    percent: number;
    message: string;
    variations_done: number;
    variations_total: number;
    failed_variations?: FailedVariation[];
  };
  links: { self: string; events: string; result: string | null };
}

export interface VariationView {
  id?: string;
  palette_name: string;
  colors: string[];
  description: string;
  image_url: string;
  /** The object path in the palette bucket (APIs with export return it). */
  image_path?: string;
}

export interface ConceptView {
  id: string;
  task_id: string;
  created_at: string;
  logo_description: string;
  theme_description: string;
  image_url: string;
  /** The object path in the concept bucket (APIs with export return it). */
  image_path?: string;
  original_concept_id: string | null;
  refinement_prompt: string | null;
  color_variations: VariationView[];
}

export interface ConceptPage {
  concepts: ConceptView[];
  /** The next page's path (`/api/concepts?limit=…&before=…`), null on the last page; absent on APIs that only take `limit`. */
  next?: string | null;
}

export const isActive = (task: Pick<TaskView, 'status'>): boolean => task.status === 'pending' || task.status === 'processing';

/** What the page shows for the three description fields a task records. */
export function metadataText(task: TaskView, key: 'logo_description' | 'theme_description' | 'refinement_prompt'): string | null {
  const value = task.metadata[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
