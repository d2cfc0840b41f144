/** The logo + theme form: starts a generation and moves to its run page. */
import { useRef, useState, type FormEvent } from 'react';
import { startGeneration } from '../api/concepts';
import { newIdempotencyKey } from '../api/http';
import { navigate } from '../router';
import { fieldErrorsOf, isOnlyFieldErrors, StartError } from './StartError';
import { TextField } from './TextField';

const EXAMPLES = [
  { logo: 'Summit Coffee, a mountain peak inside a coffee cup', theme: 'warm sunrise, earthy and friendly' },
  { logo: 'Tidepool, a wave curling into a circle', theme: 'calm ocean blues, clean and modern' },
  { logo: 'Pixel Forge, a hammer made of square pixels', theme: 'retro arcade, neon on dark' },
];

const FIELDS = ['logo_description', 'theme_description', 'num_palettes'];

export function GenerateForm({ initialLogo = '', initialTheme = '' }: { initialLogo?: string; initialTheme?: string }) {
  const [logo, setLogo] = useState(initialLogo);
  const [theme, setTheme] = useState(initialTheme);
  const [count, setCount] = useState(7);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  // One key per distinct request: a double click or a retry after a network error replays it.
  const key = useRef({ body: '', value: newIdempotencyKey() });

  const fields = fieldErrorsOf(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { logo_description: logo, theme_description: theme, num_palettes: count };
    const signature = JSON.stringify(body);
    if (key.current.body !== signature) key.current = { body: signature, value: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      const task = await startGeneration(body, key.current.value);
      navigate(`/runs/${task.task_id}`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="generate-title">
      <h2 id="generate-title" className="card__title">New concept</h2>
      <TextField
        label="Logo description"
        name="logo_description"
        value={logo}
        onChange={setLogo}
        hint="What the logo shows: a name, a symbol, a shape."
        placeholder="Summit Coffee, a mountain peak inside a coffee cup"
        error={fields.logo_description}
      />
      <TextField
        label="Theme description"
        name="theme_description"
        value={theme}
        onChange={setTheme}
        hint="The mood and colours the palettes should follow."
        placeholder="warm sunrise, earthy and friendly"
        error={fields.theme_description}
      />
      <div className="form__row">
        <div className="field field--inline">
          <label htmlFor="num-palettes" className="field__label">Colour variations</label>
          <select id="num-palettes" name="num_palettes" value={count} onChange={(e) => setCount(Number(e.target.value))}>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
          {fields.num_palettes && <p className="field__error">{fields.num_palettes}</p>}
        </div>
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          {busy ? 'Starting…' : 'Generate concept'}
        </button>
      </div>
      {error && !isOnlyFieldErrors(error, FIELDS) && <StartError error={error} what="generation" />}
      <div className="examples">
        <p className="examples__label" id="examples-label">Or start from an example</p>
        <ul className="examples__list" aria-labelledby="examples-label">
          {EXAMPLES.map((example) => (
            <li key={example.logo}>
              <button
                type="button"
                className="chip"
                onClick={() => {
                  setLogo(example.logo);
                  setTheme(example.theme);
                  setError(null);
                }}
              >
                {example.logo.split(',')[0]}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </form>
  );
}
