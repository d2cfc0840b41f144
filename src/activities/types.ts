/**
 * Inputs and outputs of the activities. Only object references and small JSON cross the
 * workflow boundary — never image bytes. Pure types: workflows import them with `import type`.
 */
import type { ObjectRef } from '../domain/concept.js';
import type { Palette } from '../domain/palette.js';
import type { PreserveAspect } from '../domain/inputs.js';

export interface TaskRef {
  task_id: string;
  user_id: string;
}

export interface ClaimTaskInput {
  task_id: string;
  workflow_id: string;
}

export interface GenerateBaseImageInput extends TaskRef {
  logo_description: string;
  theme_description: string;
}

export interface RefineImageInput extends TaskRef {
  original: ObjectRef;
  refinement_prompt: string;
  logo_description: string;
  theme_description: string;
  preserve_aspects: PreserveAspect[];
}

/** A freshly made image, parked in the task's staging area until `storeBaseImage` keeps it. */
export interface MadeImage {
  source: ObjectRef;
  width: number;
  height: number;
  content_type: string;
  /** Refinement only: the operations that were applied, in words. */
  operations?: string[];
}

export interface StoreBaseImageInput extends TaskRef {
  source: ObjectRef;
}

export interface GeneratePalettesInput {
  logo_description: string;
  theme_description: string;
  count: number;
}

export interface CreateVariationInput extends TaskRef {
  base: ObjectRef;
  palette: Palette;
  position: number;
}

export interface CreatedVariation {
  position: number;
  palette: Palette;
  image: ObjectRef;
}

export interface StoreConceptInput extends TaskRef {
  logo_description: string;
  theme_description: string;
  image: ObjectRef;
  variations: CreatedVariation[];
  original_concept_id: string | null;
  refinement_prompt: string | null;
  original_image_url: string | null;
}

export interface CompleteTaskInput {
  task_id: string;
  concept_id: string;
}

export interface FinishTaskInput {
  task_id: string;
  status: 'failed' | 'canceled';
  error_message: string;
}
