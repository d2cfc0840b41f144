/**
 * A generation's activities called in the order generateConcept calls them (claim → base image →
 * store ‖ palettes → variations → store concept → complete), each in a MockActivityEnvironment.
 * For offline tests of a whole run's data path where no Temporal server is available, and for the
 * pipeline benchmark's direct (no Temporal) baseline, which bounds concurrent activities as the
 * worker does (`slots`).
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ConceptActivities } from '../../src/activities/index.js';
import { workflowIdFor } from '../../src/domain/task.js';
import type { Persistence } from '../../src/persistence/ports.js';

/** Runs a unit of work when a slot is free (the worker's maxConcurrentActivityTaskExecutions). */
export type ActivitySlots = <R>(work: () => Promise<R>) => Promise<R>;
const unbounded: ActivitySlots = (work) => work();

export interface GenerationRun {
  task_id: string;
  user_id: string;
  concept_id: string;
}

export async function generateThroughActivities(
  acts: ConceptActivities,
  persistence: Pick<Persistence, 'tasks'>,
  request: { user_id: string; logo_description: string; theme_description: string; num_palettes: number },
  slots: ActivitySlots = unbounded,
): Promise<GenerationRun> {
  const { user_id, logo_description, theme_description } = request;
  const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    slots(() => new MockActivityEnvironment().run(fn, ...args));
  const task_id = randomUUID();
  const workflow_id = workflowIdFor('generation', task_id);
  await persistence.tasks.create({ id: task_id, user_id, type: 'generation', workflow_id, metadata: {}, idempotency_key: null });
  const task = { task_id, user_id };

  await inActivity(acts.claimTask, { task_id, workflow_id });
  const made = await inActivity(acts.generateBaseImage, { ...task, logo_description, theme_description });
  const [base, palettes] = await Promise.all([
    inActivity(acts.storeBaseImage, { ...task, source: made.source }),
    inActivity(acts.generatePalettes, { logo_description, theme_description, count: request.num_palettes }),
  ]);
  const variations = await Promise.all(palettes.map((palette, position) => inActivity(acts.createVariation, { ...task, base, palette, position })));
  const concept_id = await inActivity(acts.storeConcept, {
    ...task,
    logo_description,
    theme_description,
    image: base,
    variations,
    original_concept_id: null,
    refinement_prompt: null,
    original_image_url: null,
  });
  await inActivity(acts.completeTask, { task_id, concept_id });
  return { task_id, user_id, concept_id };
}
