/**
 * PostgREST and Storage failures → the domain error hierarchy. Constraint and data errors are the
 * caller's fault (non-retryable); everything else — network, 5xx, auth, a missing schema cache —
 * is operational and becomes a retryable StorageError.
 */
import { NotFoundError, StorageError, type ConceptflowError } from '../../domain/errors.js';
import { domainErrorForSqlState } from '../sql-errors.js';

/** The error object postgrest-js returns (PostgREST's JSON error, or status 0 on a network failure). */
export interface DbFailure {
  message: string;
  code?: string;
  details?: string | null;
  hint?: string | null;
}

/** A unique violation (23505) of the named constraint or unique index. */
export function isUniqueViolation(error: DbFailure, constraint: string): boolean {
  return error.code === '23505' && `${error.message} ${error.details ?? ''}`.includes(constraint);
}

const describeDb = (error: DbFailure, status: number) => `(HTTP ${status}${error.code ? `, ${error.code}` : ''}) ${error.message}`;

export function fromDbError(operation: string, error: DbFailure, status: number): ConceptflowError {
  const detail = describeDb(error, status);
  // A 5xx or a network failure (status 0) is operational whatever code it carries.
  if (status > 0 && status < 500) return domainErrorForSqlState(error.code, operation, detail, error);
  return new StorageError(`${operation} failed: ${detail}`, { cause: error });
}

/** A PostgREST answer as postgrest-js gives it. */
export interface DbResult {
  data: unknown;
  error: DbFailure | null;
  status: number;
}

/** The data of a PostgREST answer, or the mapped domain error. */
export function dataOf<T>(operation: string, result: DbResult): T {
  if (result.error) throw fromDbError(operation, result.error, result.status);
  return result.data as T;
}

/** The error object storage-js returns: StorageApiError (HTTP answer) or StorageUnknownError (network). */
export interface StorageFailure {
  message: string;
  status?: number;
  statusCode?: string;
  code?: string;
}

/**
 * Storage answers a missing object (or bucket) with HTTP 400 and `statusCode: "404"` in the body;
 * newer versions with HTTP 404 and code `NoSuchKey`.
 */
export function isStorageNotFound(error: StorageFailure): boolean {
  return error.statusCode === '404' || error.status === 404 || error.code === 'NoSuchKey' || error.code === 'NoSuchBucket';
}

export function fromStorageError(operation: string, error: StorageFailure): ConceptflowError {
  const status = error.status !== undefined ? `HTTP ${error.status}` : 'no response';
  const detail = `(${status}${error.statusCode ? `, ${error.statusCode}` : ''}) ${error.message}`;
  if (isStorageNotFound(error)) return new NotFoundError(`${operation} failed: not found`, { cause: error, detail });
  return new StorageError(`${operation} failed: ${detail}`, { cause: error });
}
