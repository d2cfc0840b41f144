/**
 * Why a run did not start: field messages are shown by the form; this shows the rest — the 409
 * "already running" (with a way to follow that run), the 429 with its wait, and anything else.
 */
import { ApiError } from '../api/http';
import type { TaskView } from '../api/types';
import { navigate } from '../router';
import { ErrorAlert } from './ErrorAlert';

const activeTaskOf = (error: ApiError): TaskView | null => {
  const task = error.body.task as TaskView | undefined;
  return task && typeof task.task_id === 'string' ? task : null;
};

export function StartError({ error, what }: { error: Error; what: 'generation' | 'refinement' }) {
  if (error instanceof ApiError && error.status === 409) {
    const running = activeTaskOf(error);
    return (
      <ErrorAlert title={`A ${what} is already running`} error={error}>
        {running && (
          <button type="button" className="button button--primary" onClick={() => navigate(`/runs/${running.task_id}`)}>
            Follow the running {what}
          </button>
        )}
      </ErrorAlert>
    );
  }
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} s.` : '';
    return <ErrorAlert title="Too many runs started" error={`${error.message}${wait}`} />;
  }
  return <ErrorAlert title={`The ${what} could not start`} error={error} />;
}

/** "logo_description must be …" reads "Must be …" under the field that is already labelled. */
function withoutFieldName(field: string, message: string): string {
  const rest = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** Field messages of a 400, keyed by field; the rest of the error is for StartError. */
export function fieldErrorsOf(error: Error | null): Record<string, string> {
  if (!(error instanceof ApiError && error.status === 400)) return {};
  return Object.fromEntries(Object.entries(error.fields).map(([field, message]) => [field, withoutFieldName(field, message)]));
}

/** A 400 whose every message sits next to a field needs no alert of its own. */
export function isOnlyFieldErrors(error: Error | null, fieldNames: string[]): boolean {
  const fields = Object.keys(fieldErrorsOf(error));
  return fields.length > 0 && fields.every((f) => fieldNames.includes(f));
}
