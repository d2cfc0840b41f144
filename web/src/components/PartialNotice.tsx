/**
 * A partial success: fewer variations than the run asked for. The run's task says how many were
 * asked for (and, where the API reports them, which palettes failed and why).
 */
import { getTask } from '../api/concepts';
import type { ConceptView, FailedVariation } from '../api/types';
import { useResource } from '../hooks/useResource';
import { Notice } from './ErrorAlert';

function failuresOf(metadata: Record<string, unknown>, progress: { failed_variations?: FailedVariation[] }): FailedVariation[] {
  const fromMetadata = metadata.failed_variations;
  if (Array.isArray(fromMetadata)) return fromMetadata as FailedVariation[];
  return progress.failed_variations ?? [];
}

export function PartialNotice({ concept }: { concept: ConceptView }) {
  const task = useResource(`task:${concept.task_id}`, (signal) => getTask(concept.task_id, signal));
  if (!task.data) return null;
  const asked = Number(task.data.metadata.num_palettes);
  const made = concept.color_variations.length;
  if (!Number.isInteger(asked) || made >= asked) return null;
  const failures = failuresOf(task.data.metadata, task.data.progress);
  return (
    <Notice tone="warning" title={`${made} of ${asked} variations were made`}>
      <p>{asked - made === 1 ? 'One palette' : `${asked - made} palettes`} could not be applied; the run kept the rest.</p>
      {failures.length > 0 && (
        <ul className="failures">
          {failures.map((f) => (
            <li key={f.palette_name}>
              <strong>{f.palette_name}</strong>: {f.error}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  );
}
