/**
 * createActivities(deps): the worker wires real adapters in; tests wire the embedded backend
 * and local providers into the same factory (the samples' activities-dependency-injection shape).
 */
import { availableParallelism } from 'node:os';
import type { Logger } from '../logger.js';
import type { RunMetrics } from '../observability/metrics.js';
import type { Persistence } from '../persistence/ports.js';
import type { VariationFormat } from '../imaging/recolour.js';
import type { ImageProvider, PaletteProvider } from '../providers/types.js';
import { createConceptActivities } from './concept-activities.js';
import { createImageActivities } from './image-activities.js';
import { createTaskActivities } from './task-activities.js';

export interface ActivityDeps {
  persistence: Pick<Persistence, 'tasks' | 'concepts' | 'objects'>;
  imageProvider: ImageProvider;
  paletteProvider: PaletteProvider;
  logger: Logger;
  variationFormat?: VariationFormat;
  /** Image decodes/recolours/encodes at once in this worker (default: the machine's cores); see image-activities.ts. */
  imageWorkConcurrency?: number;
  /** Run outcomes (completed/failed/canceled) are counted where the task row changes. */
  runMetrics?: RunMetrics;
}

export function createActivities(deps: ActivityDeps) {
  const { persistence, logger } = deps;
  return {
    ...createTaskActivities({ tasks: persistence.tasks, logger, runMetrics: deps.runMetrics }),
    ...createImageActivities({
      objects: persistence.objects,
      tasks: persistence.tasks,
      imageProvider: deps.imageProvider,
      logger,
      variationFormat: deps.variationFormat ?? 'png',
      imageWorkConcurrency: deps.imageWorkConcurrency ?? availableParallelism(),
    }),
    ...createConceptActivities({
      concepts: persistence.concepts,
      objects: persistence.objects,
      paletteProvider: deps.paletteProvider,
      logger,
    }),
  };
}

export type ConceptActivities = ReturnType<typeof createActivities>;
