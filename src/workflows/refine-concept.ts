/** `refineConcept`: the original image edited by a prompt, then palettes and variations like a generation. */
import type { ConceptRunResult, RefineConceptInput } from '../domain/inputs.js';
import { refineImage } from './activity-options.js';
import { runConceptPipeline } from './pipeline.js';

export async function refineConcept(input: RefineConceptInput): Promise<ConceptRunResult> {
  const { task_id, user_id, logo_description, theme_description, refinement_prompt } = input;
  return runConceptPipeline({
    task_id,
    user_id,
    logo_description,
    theme_description,
    num_palettes: input.num_palettes,
    makeImageMessage: 'Refining the original image',
    makeImage: () =>
      refineImage.executeWithOptions({ summary: 'Refine original image by prompt' }, [
        {
          task_id,
          user_id,
          original: input.original,
          refinement_prompt,
          logo_description,
          theme_description,
          preserve_aspects: input.preserve_aspects,
        },
      ]),
    provenance: {
      original_concept_id: input.original_concept_id,
      refinement_prompt,
      original_image_url: input.original_image_url,
    },
  });
}
