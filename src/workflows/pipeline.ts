/**
 * The shape both concept workflows share, read top to bottom:
 *
 *   claim → base image → (store base image ‖ palettes) → variations → store concept → complete
 *
 * Each step that leaves something behind pushes its compensation first (the saga sample); on a
 * failure or a cancellation they run newest first, in a non-cancellable scope. Deterministic
 * workflow code only.
 */
import { ApplicationFailure, CancellationScope, CancelledFailure, isCancellation, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CreatedVariation, MadeImage } from '../activities/types.js';
import type { ObjectRef } from '../domain/concept.js';
import { ErrorType, toReadableErrorMessage } from '../domain/errors.js';
import type { ConceptRunResult } from '../domain/inputs.js';
import type { Palette } from '../domain/palette.js';
import type { TaskStep } from '../domain/task.js';
import { cleanupTask, createVariation, finishTask, generatePalettes, localRowWrites, rowWrites, storeBaseImage } from './activity-options.js';
import { bothSettled, causeChain, describeFailure } from './failures.js';
import { getProgressQuery } from './messages.js';
import { RunProgress } from './progress.js';

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

type Ending = { status: 'failed' | 'canceled'; message: string };
type Compensation = (ending: Ending) => Promise<void>;

/**
 * Runs until a step fails or the run is cancelled, then undoes it. Runs started before the stack
 * existed compensated a failed claim by also deleting objects; `patched` keeps those replaying.
 */
const CLAIM_COMPENSATES_ROW_ONLY = 'claim-compensates-row-only';
/**
 * Patch id: a cancellation requested before the commit point ends the run canceled even when no
 * activity reported it (they completed anyway), or one failed or timed out while being cancelled
 * (found by drill R6). Earlier runs went on, or ended failed; `patched` keeps their histories replaying.
 */
const CANCEL_BEFORE_COMMIT_POINT = 'cancel-before-commit-point';
/**
 * Patch id: the claim, the concept store and the completion run as local activities (see
 * activity-options.ts), which saves three activity tasks and about two workflow tasks per run.
 * Runs started before were made of regular activities; `patched` keeps their histories replaying.
 */
const ROW_WRITES_AS_LOCAL_ACTIVITIES = 'row-writes-as-local-activities';

export async function runConceptPipeline(spec: PipelineSpec): Promise<ConceptRunResult> {
  const { task_id, user_id } = spec;
  const task = { task_id, user_id };
  const progress = new RunProgress();
  setHandler(getProgressQuery, () => progress.snapshot());
  const compensations: Compensation[] = [];
  const { claimTask, storeConcept, completeTask } = patched(ROW_WRITES_AS_LOCAL_ACTIVITIES) ? localRowWrites : rowWrites;

  const markTaskEnded: Compensation = ({ status, message }) =>
    finishTask.executeWithOptions({ summary: `Mark task ${status}` }, [{ task_id, status, error_message: message }]);
  const deleteTaskObjects: Compensation = async () => {
    try {
      await cleanupTask.executeWithOptions({ summary: 'Compensate: delete uploaded objects' }, [task]);
    } catch (err) {
      log.error('Compensation failed; objects may remain under the task prefix', { task_id, error: describeFailure(err).message });
    }
  };

  try {
    // 1. Claim the task row (pending → processing). A task never stays unfinished after a failure.
    progress.enter('claim', 'Claiming the task');
    compensations.push(markTaskEnded);
    await claimTask.executeWithOptions({ summary: 'Claim task (pending → processing)' }, [{ task_id, workflow_id: workflowInfo().workflowId }]);

    // 2. Make the base image (generate, or refine the original). From here on objects may exist.
    progress.enter('base_image', spec.makeImageMessage);
    compensations.push(deleteTaskObjects);
    const made = await spec.makeImage();

    // 3. Store the base image ‖ generate the palettes.
    progress.enter('store_base_image', 'Storing the base image and generating palettes');
    const [base, palettes] = await bothSettled(storeTheBaseImage(made), generateThePalettes());

    // 4. One variation per palette, concurrently; the run goes on if at least one succeeds.
    const variations = await createTheVariations(base, palettes);

    // 5–6. Store the concept and complete the task: the commit point. Once it starts, a
    // cancellation request no longer undoes the run. One that came while the last variations
    // finished anyway (an activity that completes before it hears of the cancel resolves
    // normally) still counts here.
    if (CancellationScope.current().consideredCancelled && patched(CANCEL_BEFORE_COMMIT_POINT)) throw new CancelledFailure('Canceled by request');
    const conceptId = await CancellationScope.nonCancellable(() => storeAndComplete(base, variations));
    progress.completed(conceptId);
    return { concept_id: conceptId, variations_succeeded: variations.length, failed_variations: progress.failedVariations };
  } catch (err) {
    throw await compensate(err);
  }

  async function storeTheBaseImage(made: MadeImage): Promise<ObjectRef> {
    const ref = await storeBaseImage.executeWithOptions({ summary: 'Store base image' }, [{ ...task, source: made.source }]);
    progress.baseImageStored();
    return ref;
  }

  async function generateThePalettes(): Promise<Palette[]> {
    const palettes = await generatePalettes.executeWithOptions({ summary: `Generate ${spec.num_palettes} palettes` }, [
      { logo_description: spec.logo_description, theme_description: spec.theme_description, count: spec.num_palettes },
    ]);
    progress.palettesGenerated();
    return palettes;
  }

  async function createTheVariations(base: ObjectRef, palettes: Palette[]): Promise<CreatedVariation[]> {
    progress.startVariations(palettes.length);
    const outcomes = await Promise.allSettled(
      palettes.map(async (palette, position) => {
        try {
          const created = await createVariation.executeWithOptions({ summary: `Variation ${position + 1}/${palettes.length}: ${palette.name}` }, [
            { ...task, base, palette, position },
          ]);
          progress.variationSettled();
          return created;
        } catch (err) {
          if (!isCancellation(err)) progress.variationSettled({ palette_name: palette.name, error: describeFailure(err).message });
          throw err;
        }
      }),
    );
    const cancelled = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected' && isCancellation(o.reason));
    if (cancelled) throw cancelled.reason;
    const created = outcomes.filter((o): o is PromiseFulfilledResult<CreatedVariation> => o.status === 'fulfilled').map((o) => o.value);
    const failed = progress.failedVariations;
    if (created.length === 0) {
      throw ApplicationFailure.nonRetryable(
        `All ${palettes.length} variations failed: ${failed.map((f) => `${f.palette_name}: ${f.error}`).join('; ')}`,
        ErrorType.NoVariations,
      );
    }
    if (failed.length > 0) log.warn('Some variations failed; continuing with the rest', { task_id, failed: failed.length });
    return created;
  }

  async function storeAndComplete(base: ObjectRef, variations: CreatedVariation[]): Promise<string> {
    progress.enter('store', 'Storing the concept');
    const conceptId = await storeConcept.executeWithOptions({ summary: `Store concept with ${variations.length} variations` }, [
      {
        ...task,
        logo_description: spec.logo_description,
        theme_description: spec.theme_description,
        image: base,
        variations,
        ...spec.provenance,
      },
    ]);
    progress.enter('complete', 'Completing the task');
    await completeTask.executeWithOptions({ summary: 'Complete task' }, [{ task_id, concept_id: conceptId }]);
    return conceptId;
  }

  /** Runs the compensations newest first and returns the error the workflow ends with. */
  async function compensate(err: unknown): Promise<unknown> {
    if (isCancellation(err) || failureRacedCancel(err)) {
      progress.ended('canceled', 'Canceled by request');
      await undo({ status: 'canceled', message: 'Canceled by request' });
      return isCancellation(err) ? err : new CancelledFailure('Canceled by request');
    }
    const failure = describeFailure(err);
    const message = toReadableErrorMessage(`${STEP_FAILURE[progress.step]}: ${failure.message}`);
    progress.ended('failed', message);
    // The run's one error line (the SDK logger adds the workflow's ids, and the trace id when tracing).
    log.error('Run failed', { task_id, workflow_id: workflowInfo().workflowId, step: progress.step, error_type: failure.type, cause_chain: causeChain(err) });
    if (progress.step === 'claim' && failure.type === ErrorType.TaskNotClaimable) {
      // Someone else owns or already finished this task: leave it and its objects alone.
      return ApplicationFailure.nonRetryable(message, failure.type);
    }
    if (progress.step === 'claim' && !patched(CLAIM_COMPENSATES_ROW_ONLY)) compensations.push(deleteTaskObjects);
    await undo({ status: 'failed', message });
    return ApplicationFailure.nonRetryable(message, failure.type ?? 'ConceptRunFailed');
  }

  /** A failure before the commit point while a cancel was requested (not a task someone else owns). */
  function failureRacedCancel(err: unknown): boolean {
    if (!CancellationScope.current().consideredCancelled || progress.step === 'store' || progress.step === 'complete') return false;
    if (progress.step === 'claim' && describeFailure(err).type === ErrorType.TaskNotClaimable) return false;
    return patched(CANCEL_BEFORE_COMMIT_POINT);
  }

  function undo(ending: Ending): Promise<void> {
    return CancellationScope.nonCancellable(async () => {
      for (const compensation of compensations.reverse()) await compensation(ending);
    });
  }
}
