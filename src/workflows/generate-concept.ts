/** `generateConcept`: a logo from two descriptions, palettes, one variation per palette. */
import type { ConceptRunResult, GenerateConceptInput } from '../domain/inputs.js';
import { generateBaseImage } from './activity-options.js';
import { runConceptPipeline } from './pipeline.js';

export async function generateConcept(input: GenerateConceptInput): Promise<ConceptRunResult> {
  const { task_id, user_id, logo_description, theme_description } = input;
  return runConceptPipeline({
    task_id,
    user_id,
    logo_description,
    theme_description,
    num_palettes: input.num_palettes,
    makeImageMessage: 'Generating the base logo',
    makeImage: () =>
      generateBaseImage.executeWithOptions({ summary: 'Generate base logo image' }, [
        { task_id, user_id, logo_description, theme_description },
      ]),
    provenance: { original_concept_id: null, refinement_prompt: null, original_image_url: null },
  });
}
