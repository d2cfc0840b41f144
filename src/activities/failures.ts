/**
 * Turns errors thrown inside activities into Temporal failures whose `type` is the domain error
 * type, so the workflows' retry policies (NON_RETRYABLE_ERROR_TYPES) and the readable task
 * messages work from one source.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { isConceptflowError, ProviderUnavailableError, toReadableErrorMessage } from '../domain/errors.js';

export const UNEXPECTED_ERROR_TYPE = 'UnexpectedError';

export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (isConceptflowError(err)) {
    return ApplicationFailure.create({
      message: toReadableErrorMessage(err.message),
      type: err.type,
      nonRetryable: !err.retryable,
      nextRetryDelay: err instanceof ProviderUnavailableError && err.retryAfterMs ? err.retryAfterMs : undefined,
      cause: err,
    });
  }
  // Programmer or unknown operational errors: retry (the policy bounds the attempts).
  return ApplicationFailure.create({
    message: toReadableErrorMessage(err),
    type: UNEXPECTED_ERROR_TYPE,
    nonRetryable: false,
    cause: err instanceof Error ? err : undefined,
  });
}
