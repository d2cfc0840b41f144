/** PGlite (Postgres) errors → the domain error hierarchy, by SQLSTATE, as for PostgREST. */
import { StorageError, type ConceptflowError } from '../../domain/errors.js';
import { domainErrorForSqlState } from '../sql-errors.js';

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
  return domainErrorForSqlState(err.code, operation, `(${err.code}) ${err.message}`, err);
}

/** Runs a query, mapping database errors to domain errors. */
export async function run<T>(operation: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    throw fromPgError(operation, err);
  }
}
