/**
 * Input schemas (zod) for runs: validated at the API edge, trusted types inside workflows.
 * No Node builtins (workflows import the types).
 */
import { z } from 'zod';
import type { ObjectRef } from './concept.js';
import { DEFAULT_PALETTES, MAX_PALETTES, MIN_PALETTES } from './palette.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text the database and every provider can take: no NUL or other control characters (tab and line
 * breaks are fine) and well-formed UTF-16 (no lone surrogate halves, which have no UTF-8 form).
 */
export const isStorableText = (value: string): boolean => !CONTROL_CHARACTER.test(value) && !LONE_SURROGATE.test(value);
const storable = (field: string) => [isStorableText, `${field} must not contain control characters or invalid Unicode`] as const;

const text = (field: string, min: number, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .refine(...storable(field))
    .trim()
    .min(min, `${field} must be at least ${min} characters`)
    .max(max, `${field} must be at most ${max} characters`);

export const generateRequestSchema = z
  .object({
    logo_description: text('logo_description', 3, 500),
    theme_description: text('theme_description', 3, 500),
    num_palettes: z
      .number({ error: 'num_palettes must be a number' })
      .int('num_palettes must be a whole number')
      .min(MIN_PALETTES, `num_palettes must be at least ${MIN_PALETTES}`)
      .max(MAX_PALETTES, `num_palettes must be at most ${MAX_PALETTES}`)
      .default(DEFAULT_PALETTES),
  })
  .strict();
export type GenerateRequest = z.infer<typeof generateRequestSchema>;

export const PRESERVE_ASPECTS = ['colors', 'layout', 'style', 'shapes'] as const;
export type PreserveAspect = (typeof PRESERVE_ASPECTS)[number];

export const refineRequestSchema = z
  .object({
    refinement_prompt: text('refinement_prompt', 5, 500),
    original_concept_id: z.uuid('original_concept_id must be a UUID').optional(),
    original_image_url: z
      .string({ error: 'original_image_url must be a string' })
      .refine(...storable('original_image_url'))
      .max(2048, 'original_image_url must be at most 2048 characters')
      .optional(),
    logo_description: text('logo_description', 3, 500).optional(),
    theme_description: text('theme_description', 3, 500).optional(),
    preserve_aspects: z
      .array(z.enum(PRESERVE_ASPECTS, { error: `preserve_aspects items must be one of ${PRESERVE_ASPECTS.join(', ')}` }))
      .max(PRESERVE_ASPECTS.length)
      .default([])
      .transform((a) => [...new Set(a)]),
    num_palettes: z
      .number({ error: 'num_palettes must be a number' })
      .int('num_palettes must be a whole number')
      .min(MIN_PALETTES)
      .max(MAX_PALETTES)
      .default(DEFAULT_PALETTES),
  })
  .strict()
  .refine((v) => (v.original_concept_id === undefined) !== (v.original_image_url === undefined), {
    message: 'Give exactly one of original_concept_id or original_image_url',
    path: ['original_concept_id'],
  });
export type RefineRequest = z.infer<typeof refineRequestSchema>;

/** What a generation workflow is started with (all validated). */
export interface GenerateConceptInput {
  task_id: string;
  user_id: string;
  logo_description: string;
  theme_description: string;
  num_palettes: number;
}

/** What a refinement workflow is started with: the original is already resolved to an object of ours. */
export interface RefineConceptInput {
  task_id: string;
  user_id: string;
  refinement_prompt: string;
  /** The original image, already resolved to an object of this service under the user's prefix. */
  original: ObjectRef;
  original_concept_id: string | null;
  original_image_url: string | null;
  logo_description: string;
  theme_description: string;
  preserve_aspects: PreserveAspect[];
  num_palettes: number;
}

/** What either workflow returns. */
export interface ConceptRunResult {
  concept_id: string;
  variations_succeeded: number;
  failed_variations: { palette_name: string; error: string }[];
}
