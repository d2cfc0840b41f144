/** Palettes, the concept row, and compensation. */
import { BUCKETS, objectPaths } from '../domain/concept.js';
import { ProviderBadOutputError } from '../domain/errors.js';
import { paletteKey, parsePaletteColors, type Palette } from '../domain/palette.js';
import type { Logger } from '../logger.js';
import type { ConceptRepository, ObjectStore } from '../persistence/ports.js';
import type { PaletteProvider } from '../providers/types.js';
import { runActivity } from './run.js';
import type { GeneratePalettesInput, StoreConceptInput, TaskRef } from './types.js';

export interface ConceptActivityDeps {
  concepts: ConceptRepository;
  objects: ObjectStore;
  paletteProvider: PaletteProvider;
  logger: Logger;
}

export function createConceptActivities(deps: ConceptActivityDeps) {
  const { concepts, objects, paletteProvider, logger } = deps;
  return {
    /** Exactly `count` distinct palettes of valid hex colours, or a (retryable) bad-output failure. */
    async generatePalettes(input: GeneratePalettesInput): Promise<Palette[]> {
      return runActivity(logger, 'generatePalettes', undefined, async ({ signal }) => {
        const palettes = await paletteProvider.generatePalettes(
          { logoDescription: input.logo_description, themeDescription: input.theme_description, count: input.count },
          signal,
        );
        const checked = palettes.map((p) => ({ ...p, colors: parsePaletteColors(p.colors) }));
        const distinct = new Set(checked.map(paletteKey));
        if (checked.length !== input.count || distinct.size !== checked.length) {
          throw new ProviderBadOutputError(
            `Expected ${input.count} distinct palettes from ${paletteProvider.name}, got ${distinct.size} distinct of ${checked.length}`,
          );
        }
        return checked;
      });
    },

    /**
     * Concept + variations in one atomic, idempotent write; then the task's objects the concept
     * does not reference are removed (a variation whose attempts ran out after one of them had
     * stored its image — e.g. a worker killed before it reported). Returns the concept id.
     */
    async storeConcept(input: StoreConceptInput): Promise<string> {
      return runActivity(logger, 'storeConcept', input.task_id, async ({ log }) => {
        const stored = await concepts.store({
          user_id: input.user_id,
          task_id: input.task_id,
          logo_description: input.logo_description,
          theme_description: input.theme_description,
          image_path: input.image.path,
          original_concept_id: input.original_concept_id,
          refinement_prompt: input.refinement_prompt,
          original_image_url: input.original_image_url,
          variations: [...input.variations]
            .sort((a, b) => a.position - b.position)
            .map((v) => ({ ...v.palette, image_path: v.image.path, position: v.position })),
        });
        const referenced = new Set([`${BUCKETS.concepts}/${stored.image_path}`, ...stored.color_variations.map((v) => `${BUCKETS.palettes}/${v.image_path}`)]);
        const prefix = objectPaths.taskPrefix(input.user_id, input.task_id);
        let removed = 0;
        for (const bucket of Object.values(BUCKETS)) {
          const unreferenced = (await objects.list(bucket, prefix)).filter((path) => !referenced.has(`${bucket}/${path}`));
          if (unreferenced.length > 0) await objects.remove(bucket, unreferenced);
          removed += unreferenced.length;
        }
        if (removed > 0) log.info({ removed }, 'removed task objects the concept does not reference');
        return stored.id;
      });
    },

    /** Compensation: removes the task's concept row (if any) and every object under the task's prefix. */
    async cleanupTask(input: TaskRef): Promise<number> {
      return runActivity(logger, 'cleanupTask', input.task_id, async ({ log }) => {
        await concepts.deleteByTask(input.task_id);
        const prefix = objectPaths.taskPrefix(input.user_id, input.task_id);
        let removed = 0;
        for (const bucket of Object.values(BUCKETS)) {
          const paths = await objects.list(bucket, prefix);
          if (paths.length > 0) await objects.remove(bucket, paths);
          removed += paths.length;
        }
        log.info({ removed }, 'task objects removed');
        return removed;
      });
    },
  };
}
