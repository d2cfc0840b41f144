/** A labelled textarea with a hint, a character count and the API's message for the field. */
import { useId } from 'react';

export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
  placeholder?: string;
  maxLength?: number;
  rows?: number;
}

export function TextField({ label, name, value, onChange, hint, error, placeholder, maxLength = 500, rows = 3 }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <div className="field__top">
        <label htmlFor={id} className="field__label">{label}</label>
        <span className="field__count" aria-hidden="true">{value.length}/{maxLength}</span>
      </div>
      {hint && <p id={hintId} className="field__hint">{hint}</p>}
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        maxLength={maxLength}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && <p id={errorId} className="field__error">{error}</p>}
    </div>
  );
}
