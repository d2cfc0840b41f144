/** Starts a refinement of a concept: what to change, what to keep. */
import { useRef, useState, type FormEvent } from 'react';
import { startRefinement, type PreserveAspect } from '../api/concepts';
import { newIdempotencyKey } from '../api/http';
import { navigate } from '../router';
import { fieldErrorsOf, isOnlyFieldErrors, StartError } from './StartError';
import { TextField } from './TextField';

const ASPECTS: { value: PreserveAspect; label: string }[] = [
  { value: 'colors', label: 'Colours' },
  { value: 'layout', label: 'Layout' },
  { value: 'style', label: 'Style' },
  { value: 'shapes', label: 'Shapes' },
];

export function RefineForm({ conceptId }: { conceptId: string }) {
  const [prompt, setPrompt] = useState('');
  const [keep, setKeep] = useState<PreserveAspect[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const key = useRef({ body: '', value: newIdempotencyKey() });
  const fields = fieldErrorsOf(error);

  const toggle = (aspect: PreserveAspect) => setKeep((k) => (k.includes(aspect) ? k.filter((a) => a !== aspect) : [...k, aspect]));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { refinement_prompt: prompt, original_concept_id: conceptId, preserve_aspects: keep };
    const signature = JSON.stringify(body);
    if (key.current.body !== signature) key.current = { body: signature, value: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      const task = await startRefinement(body, key.current.value);
      navigate(`/runs/${task.task_id}`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setBusy(false);
    }
  }

  return (
    <form id="refine" className="card form refine" onSubmit={submit} noValidate aria-labelledby="refine-title">
      <h2 id="refine-title" className="card__title">Refine this concept</h2>
      <p className="muted">Describe what to change. The refined concept gets its own palettes and variations; this one stays as it is.</p>
      <TextField
        label="What should change?"
        name="refinement_prompt"
        value={prompt}
        onChange={setPrompt}
        placeholder="darker and bolder, rounder shapes"
        rows={2}
        error={fields.refinement_prompt}
      />
      <fieldset className="checks">
        <legend>Keep from the original</legend>
        {ASPECTS.map((aspect) => (
          <label key={aspect.value} className="check">
            <input type="checkbox" name="preserve_aspects" value={aspect.value} checked={keep.includes(aspect.value)} onChange={() => toggle(aspect.value)} />
            {aspect.label}
          </label>
        ))}
      </fieldset>
      {fields.preserve_aspects && <p className="field__error">{fields.preserve_aspects}</p>}
      {error && !isOnlyFieldErrors(error, ['refinement_prompt', 'preserve_aspects']) && <StartError error={error} what="refinement" />}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Starting…' : 'Refine concept'}</button>
      </div>
    </form>
  );
}
