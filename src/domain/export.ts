/**
 * Export requests, as the original frontend sends them (`image_identifier` = the object path it
 * reads out of an image URL, `storage_bucket`, `target_format`, `target_size`, `svg_params`), or
 * naming the image by `concept_id` (+ `variation_id`). No Node builtins.
 */
import { z } from 'zod';
import { BUCKETS } from './concept.js';

export const EXPORT_FORMATS = ['png', 'jpg', 'svg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The box each named size fits the image into, in pixels; original keeps its size. */
export const EXPORT_SIZES = { small: 500, medium: 1000, large: 2000, original: null } as const;
export type ExportSize = keyof typeof EXPORT_SIZES;
const SIZE_NAMES = Object.keys(EXPORT_SIZES) as [ExportSize, ...ExportSize[]];

const fieldMessage = (field: string, expected: string) => ({ error: `${field} must be one of ${expected}` });

/** Tracing parameters: the original's keys are accepted; color_mode and filter_speckle_size are honoured. */
const svgParamsSchema = z
  .looseObject({
    color_mode: z.enum(['color', 'binary'], fieldMessage('svg_params.color_mode', 'color, binary')).optional(),
    filter_speckle_size: z.number().int().min(0).max(256).optional(),
    max_colors: z.number().int().min(2).max(64).optional(),
  })
  .nullable()
  .optional();

export const exportRequestSchema = z
  .object({
    image_identifier: z
      .string({ error: 'image_identifier must be a string' })
      .min(1, 'image_identifier must not be empty')
      .max(1024, 'image_identifier must be at most 1024 characters')
      .refine((v) => !v.includes('://') && !v.includes('?') && !v.startsWith('/'), 'image_identifier must be a storage path, not a URL')
      .optional(),
    storage_bucket: z.enum([BUCKETS.concepts, BUCKETS.palettes], fieldMessage('storage_bucket', `${BUCKETS.concepts}, ${BUCKETS.palettes}`)).optional(),
    concept_id: z.uuid('concept_id must be a UUID').optional(),
    variation_id: z.uuid('variation_id must be a UUID').optional(),
    target_format: z
      .enum(['png', 'jpg', 'jpeg', 'svg'], fieldMessage('target_format', EXPORT_FORMATS.join(', ')))
      .transform((f): ExportFormat => (f === 'jpeg' ? 'jpg' : f)),
    target_size: z.enum(SIZE_NAMES, fieldMessage('target_size', SIZE_NAMES.join(', '))).default('original'),
    svg_params: svgParamsSchema,
  })
  .strict()
  .refine((r) => (r.image_identifier === undefined) !== (r.concept_id === undefined), {
    message: 'Give exactly one of image_identifier or concept_id',
    path: ['image_identifier'],
  })
  .refine((r) => r.variation_id === undefined || r.concept_id !== undefined, {
    message: 'variation_id needs the concept_id it belongs to',
    path: ['variation_id'],
  });
export type ExportRequest = z.infer<typeof exportRequestSchema>;
