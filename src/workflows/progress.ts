/**
 * Progress of one run: what the `getProgress` query answers (the workflow sets the handler), mirrored
 * to the TaskStep search attribute and to the workflow's current details, so operators see the step
 * in the Web UI. Deterministic workflow code: no I/O.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { initialProgress, STEP_PERCENT, type Progress, type TaskStep } from '../domain/task.js';
import { TaskStepKey } from './search-attributes.js';

export class RunProgress {
  private progress: Progress = initialProgress();
  private palettesReady = false;

  get step(): TaskStep {
    return this.progress.step;
  }

  snapshot(): Progress {
    return { ...this.progress, failed_variations: [...this.progress.failed_variations] };
  }

  enter(step: TaskStep, message: string): void {
    const changed = step !== this.progress.step || this.progress.percent === 0;
    this.progress = { ...this.progress, step, message, percent: STEP_PERCENT[step] };
    if (changed) upsertSearchAttributes([{ key: TaskStepKey, value: step }]);
    setCurrentDetails(`**${step}** — ${message}`);
  }

  /** The base image is stored: if the palettes are still coming, that is now what the run waits on. */
  baseImageStored(): void {
    if (!this.palettesReady) this.enter('palettes', 'Generating palettes');
  }

  palettesGenerated(): void {
    this.palettesReady = true;
  }

  startVariations(total: number): void {
    this.progress = { ...this.progress, variations_total: total, variations_done: 0 };
    this.enter('variations', `Creating ${total} palette variations`);
  }

  /** A variation finished (successfully or not): the percent moves either way. */
  variationSettled(failure?: { palette_name: string; error: string }): void {
    const done = this.progress.variations_done + 1;
    const total = Math.max(1, this.progress.variations_total);
    const span = STEP_PERCENT.store - STEP_PERCENT.variations;
    const failed = failure ? [...this.progress.failed_variations, failure] : this.progress.failed_variations;
    this.progress = {
      ...this.progress,
      variations_done: done,
      failed_variations: failed,
      percent: STEP_PERCENT.variations + Math.floor((span * done) / total),
      message: `Created ${done - failed.length} of ${this.progress.variations_total} variations${failed.length ? ` (${failed.length} failed)` : ''}`,
    };
    setCurrentDetails(`**variations** — ${this.progress.message}`);
  }

  get failedVariations(): Progress['failed_variations'] {
    return [...this.progress.failed_variations];
  }

  completed(resultId: string): void {
    this.progress = { ...this.progress, step: 'complete', percent: 100, state: 'completed', result_id: resultId, message: 'Concept ready' };
    setCurrentDetails(`**complete** — concept ${resultId}`);
  }

  ended(state: 'failed' | 'canceled', error: string): void {
    this.progress = { ...this.progress, state, error, message: state === 'canceled' ? 'Canceled' : `Failed: ${error}` };
    setCurrentDetails(`**${state}** at ${this.progress.step} — ${error}`);
  }
}
