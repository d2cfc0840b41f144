/**
 * Postgres SQLSTATE → the domain error hierarchy, for both adapters (PGlite errors carry the code
 * directly, PostgREST passes it through). Constraint and data errors are the caller's fault
 * (non-retryable); anything else is operational and retryable.
 */
import { ConflictError, InvalidInputError, StorageError, type ConceptflowError } from '../domain/errors.js';

export function domainErrorForSqlState(code: string | undefined, message: string, cause: unknown): ConceptflowError {
  const state = code ?? '';
  if (state === '23505') return new ConflictError(message, { cause });
  // not-null, foreign key, check violations and malformed values (22xxx: bad uuid, bad json, ...)
  if (state === '23502' || state === '23503' || state === '23514' || state.startsWith('22')) return new InvalidInputError(message, [], { cause });
  return new StorageError(message, { cause });
}
