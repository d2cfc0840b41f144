/**
 * Postgres SQLSTATE → the domain error hierarchy, for both adapters (PGlite errors carry the code
 * directly, PostgREST passes it through). Constraint and data errors are the caller's fault
 * (non-retryable); anything else is operational and retryable.
 *
 * Conflict and invalid-input errors can reach API answers, so their messages name only our
 * operation; the database's own text is their `detail` (logs only). StorageError messages are
 * never shown to users (publicMessageOf), so they keep it.
 */
import { ConflictError, InvalidInputError, StorageError, type ConceptflowError } from '../domain/errors.js';

/** `operation`: our name for what failed (e.g. `create task`); `detail`: what the database said. */
export function domainErrorForSqlState(code: string | undefined, operation: string, detail: string, cause: unknown): ConceptflowError {
  const state = code ?? '';
  if (state === '23505') return new ConflictError(`${operation} failed: the record already exists`, { cause, detail });
  // not-null, foreign key, check violations and malformed values (22xxx: bad uuid, bad json, ...)
  if (state === '23502' || state === '23503' || state === '23514' || state.startsWith('22')) {
    return new InvalidInputError(`${operation} failed: a value could not be stored`, [], { cause, detail });
  }
  return new StorageError(`${operation} failed: ${detail}`, { cause });
}
