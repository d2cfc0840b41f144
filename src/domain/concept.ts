/** Concepts and their colour variations as stored. No Node builtins. */
import type { Palette } from './palette.js';

export const BUCKETS = { concepts: 'concept-images', palettes: 'palette-images' } as const;
export type Bucket = (typeof BUCKETS)[keyof typeof BUCKETS];

/** A stored path: non-empty segments, none of them `.` or `..`, no backslash or NUL. */
export const isSafeObjectPath = (path: string): boolean =>
  path.length > 0 && path.length <= 1024 && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0]/.test(s));

/** A stored object. Activities pass these instead of bytes. */
export interface ObjectRef {
  bucket: Bucket;
  /** Always starts with `{user_id}/`. */
  path: string;
}

export interface ColorVariationRecord {
  id: string;
  concept_id: string;
  palette_name: string;
  colors: string[];
  description: string;
  image_path: string;
  position: number;
}

export interface ConceptRecord {
  id: string;
  user_id: string;
  task_id: string;
  logo_description: string;
  theme_description: string;
  image_path: string;
  is_anonymous: boolean;
  original_concept_id: string | null;
  refinement_prompt: string | null;
  original_image_url: string | null;
  created_at: string;
}

export interface ConceptWithVariations extends ConceptRecord {
  color_variations: ColorVariationRecord[];
}

export interface NewConcept {
  user_id: string;
  task_id: string;
  logo_description: string;
  theme_description: string;
  image_path: string;
  is_anonymous?: boolean;
  original_concept_id?: string | null;
  refinement_prompt?: string | null;
  original_image_url?: string | null;
  variations: NewColorVariation[];
}

export interface NewColorVariation extends Palette {
  image_path: string;
  position: number;
}

/** Deterministic object paths: a retried activity overwrites its own object, never makes a second. */
export const objectPaths = {
  taskPrefix: (userId: string, taskId: string) => `${userId}/${taskId}/`,
  baseImage: (userId: string, taskId: string, ext = 'png') => `${userId}/${taskId}/base.${ext}`,
  variation: (userId: string, taskId: string, position: number, ext = 'png') =>
    `${userId}/${taskId}/variation-${String(position).padStart(2, '0')}.${ext}`,
};
