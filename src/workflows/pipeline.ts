/**
 * The shape both concept workflows share: claim → make the image → (store it ‖ palettes) →
 * variations (concurrent, partial success) → store concept → complete; on failure or
 * cancellation, compensation in a non-cancellable scope. Deterministic workflow code only.
 */
import { ApplicationFailure, CancellationScope, CancelledFailure, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import type { CreatedVariation, MadeImage } from '../activities/types.js';
import { ErrorType, toReadableErrorMessage } from '../domain/errors.js';
import type { ConceptRunResult } from '../domain/inputs.js';
import type { TaskStep } from '../domain/task.js';
import {
  claimTask,
  cleanupTask,
  completeTask,
  createVariation,
  finishTask,
  generatePalettes,
  storeBaseImage,
  storeConcept,
} from './activity-options.js';
import { ProgressTracker } from './progress.js';

export interface PipelineSpec {
  task_id: string;
  user_id: string;
  logo_description: string;
  theme_description: string;
  num_palettes: number;
  /** The base_image step: generate a logo, or refine the original. */
  makeImage: () => Promise<MadeImage>;
  makeImageMessage: string;
  provenance: { original_concept_id: string | null; refinement_prompt: string | null; original_image_url: string | null };
}

const STEP_FAILURE: Record<TaskStep, string> = {
  claim: 'Could not claim the task',
  base_image: 'Could not create the base image',
  store_base_image: 'Could not store the base image',
  palettes: 'Could not generate the colour palettes',
  variations: 'Could not create the palette variations',
  store: 'Could not store the concept',
  complete: 'Could not complete the task',
};

/** The innermost readable message of a failure chain (ActivityFailure → ApplicationFailure → …). */
function innermostMessage(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error) {
    if (current.message && !/^Activity task (failed|timed out)$/.test(current.message)) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

function failureType(err: unknown): string | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure && current.type) return current.type;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The value of a settled promise; otherwise rethrows — a cancellation first (from either), then
 * this promise's own failure, so the step that failed is the one reported.
 */
function settledValue<T>(result: PromiseSettledResult<T>, sibling: PromiseSettledResult<unknown>): T {
  if (sibling.status === 'rejected' && isCancellation(sibling.reason)) throw sibling.reason;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

export async function runConceptPipeline(spec: PipelineSpec): Promise<ConceptRunResult> {
  const { task_id, user_id } = spec;
  const taskRef = { task_id, user_id };
  const progress = new ProgressTracker();
  let claimed = false;

  const compensate = (status: 'failed' | 'canceled', message: string) =>
    CancellationScope.nonCancellable(async () => {
      try {
        await cleanupTask.executeWithOptions({ summary: 'Compensate: delete uploaded objects' }, [taskRef]);
      } catch (cleanupErr) {
        log.error('Compensation failed; objects may remain under the task prefix', { task_id, error: innermostMessage(cleanupErr) });
      }
      await finishTask.executeWithOptions({ summary: `Mark task ${status}` }, [{ task_id, status, error_message: message }]);
    });

  try {
    progress.enter('claim', 'Claiming the task');
    await claimTask.executeWithOptions({ summary: 'Claim task (pending → processing)' }, [
      { task_id, workflow_id: workflowInfo().workflowId },
    ]);
    claimed = true;

    progress.enter('base_image', spec.makeImageMessage);
    const made = await spec.makeImage();

    // Store the image and generate palettes in parallel; wait for both to settle, so that
    // compensation never runs while one of them may still be writing.
    progress.enter('store_base_image', 'Storing the base image and generating palettes');
    let palettesReady = false;
    const [baseResult, palettesResult] = await Promise.allSettled([
      storeBaseImage.executeWithOptions({ summary: 'Store base image' }, [{ ...taskRef, source: made.source }]).then((ref) => {
        if (!palettesReady) progress.enter('palettes', 'Generating palettes');
        return ref;
      }),
      generatePalettes
        .executeWithOptions({ summary: `Generate ${spec.num_palettes} palettes` }, [
          { logo_description: spec.logo_description, theme_description: spec.theme_description, count: spec.num_palettes },
        ])
        .then((result) => {
          palettesReady = true;
          return result;
        }),
    ]);
    const base = settledValue(baseResult, palettesResult);
    const palettes = settledValue(palettesResult, baseResult);

    progress.startVariations(palettes.length);
    const settled = await Promise.allSettled(
      palettes.map((palette, position) =>
        createVariation
          .executeWithOptions({ summary: `Variation ${position + 1}/${palettes.length}: ${palette.name}` }, [
            { ...taskRef, base, palette, position },
          ])
          .then(
            (created) => {
              progress.variationSettled();
              return created;
            },
            (err: unknown) => {
              if (!isCancellation(err)) {
                progress.variationSettled({ palette_name: palette.name, error: toReadableErrorMessage(innermostMessage(err)) });
              }
              throw err;
            },
          ),
      ),
    );
    const cancelled = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && isCancellation(r.reason));
    if (cancelled) throw cancelled.reason;
    const variations = settled
      .filter((r): r is PromiseFulfilledResult<CreatedVariation> => r.status === 'fulfilled')
      .map((r) => r.value);
    const failed_variations = progress.snapshot().failed_variations;
    if (variations.length === 0) {
      throw ApplicationFailure.nonRetryable(
        `All ${palettes.length} variations failed: ${failed_variations.map((f) => `${f.palette_name}: ${f.error}`).join('; ')}`,
        ErrorType.NoVariations,
      );
    }
    if (failed_variations.length > 0) {
      log.warn('Some variations failed; continuing with the rest', { task_id, failed: failed_variations.length });
    }

    // Storing the concept and completing the task is the commit point: once it starts,
    // a cancellation request no longer undoes the run. One that came while the last variations
    // finished anyway (an activity that completes before it hears of the cancel resolves
    // normally) still counts here.
    if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Canceled by request');
    progress.enter('store', 'Storing the concept');
    const conceptId = await CancellationScope.nonCancellable(async () => {
      const id = await storeConcept.executeWithOptions({ summary: `Store concept with ${variations.length} variations` }, [
        {
          ...taskRef,
          logo_description: spec.logo_description,
          theme_description: spec.theme_description,
          image: base,
          variations,
          ...spec.provenance,
        },
      ]);
      progress.enter('complete', 'Completing the task');
      await completeTask.executeWithOptions({ summary: 'Complete task' }, [{ task_id, concept_id: id }]);
      return id;
    });
    progress.completed(conceptId);
    return { concept_id: conceptId, variations_succeeded: variations.length, failed_variations };
  } catch (err) {
    if (isCancellation(err)) {
      progress.ended('canceled', 'Canceled by request');
      await compensate('canceled', 'Canceled by request');
      throw err;
    }
    const type = failureType(err);
    const message = toReadableErrorMessage(`${STEP_FAILURE[progress.step]}: ${innermostMessage(err)}`);
    progress.ended('failed', message);
    if (!claimed && type === ErrorType.TaskNotClaimable) {
      // Someone else owns or already finished this task: leave it and its objects alone.
      throw ApplicationFailure.nonRetryable(message, type);
    }
    await compensate('failed', message);
    throw ApplicationFailure.nonRetryable(message, type ?? 'ConceptRunFailed');
  }
}
