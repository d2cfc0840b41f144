/** PGlite (Postgres) errors → the domain error hierarchy, by SQLSTATE, as for PostgREST. */
import { ConflictError, InvalidInputError, StorageError, type ConceptflowError } from '../../domain/errors.js';

interface PgError {
  message: string;
  code?: string;
  constraint?: string;
}

const isPgError = (err: unknown): err is PgError => err instanceof Error && typeof (err as PgError).code === 'string';

/** A unique violation of the named constraint or index. */
export const isUniqueViolation = (err: unknown, constraint?: string): boolean =>
  isPgError(err) && err.code === '23505' && (constraint === undefined || err.constraint === constraint);

export function fromPgError(operation: string, err: unknown): ConceptflowError {
  if (!isPgError(err)) return new StorageError(`${operation} failed: ${(err as Error).message ?? String(err)}`, { cause: err });
  const message = `${operation} failed (${err.code}): ${err.message}`;
  const code = err.code ?? '';
  if (code === '23505') return new ConflictError(message, { cause: err });
  // not-null, foreign key, check violations and malformed values (22xxx)
  if (code === '23502' || code === '23503' || code === '23514' || code.startsWith('22')) return new InvalidInputError(message, [], { cause: err });
  return new StorageError(message, { cause: err });
}

/** Runs a query, mapping database errors to domain errors. */
export async function run<T>(operation: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    throw fromPgError(operation, err);
  }
}
