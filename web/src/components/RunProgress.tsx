/** A run's progress: bar, current message, the steps with what is done, and variations done/total. */
import type { TaskStep, TaskView } from '../api/types';

const STEPS: { step: TaskStep; label: string }[] = [
  { step: 'claim', label: 'Reading the brief' },
  { step: 'base_image', label: 'Drawing the base logo' },
  { step: 'palettes', label: 'Choosing palettes' },
  { step: 'variations', label: 'Recolouring variations' },
  { step: 'store', label: 'Saving the concept' },
];

/** The shown steps' order; store_base_image runs beside palettes, so it counts as that stage. */
const ORDER: Record<TaskStep, number> = { claim: 0, base_image: 1, store_base_image: 2, palettes: 2, variations: 3, store: 4, complete: 5 };

export function RunProgress({ task }: { task: TaskView }) {
  const { progress } = task;
  const current = ORDER[progress.step];
  const percent = Math.max(0, Math.min(100, Math.round(progress.percent)));
  return (
    <div className="progress">
      <div className="progress__head">
        <span id="progress-label" className="progress__message" aria-live="polite">{progress.message}</span>
        <span className="progress__percent" aria-hidden="true">{percent}%</span>
      </div>
      <progress id="run-progress" max={100} value={percent} aria-labelledby="progress-label" aria-valuetext={`${percent}%`} />
      <ol className="steps">
        {STEPS.map(({ step, label }, index) => {
          const state = index < current ? 'done' : index === current ? 'current' : 'todo';
          const showCount = step === 'variations' && progress.variations_total > 0;
          return (
            <li key={step} className={`steps__item steps__item--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="steps__dot" aria-hidden="true" />
              <span>{label}</span>
              {showCount && (
                <span className="steps__count">
                  {progress.variations_done}/{progress.variations_total}
                </span>
              )}
              <span className="visually-hidden">{state === 'done' ? ' (done)' : state === 'current' ? ' (in progress)' : ''}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
