/**
 * Turns errors thrown inside activities into Temporal failures whose `type` is the domain error
 * type, so the workflows' retry policies (NON_RETRYABLE_ERROR_TYPES) and the readable task
 * messages work from one source.
 *
 * The failure carries only what a user may read (publicMessageOf): its message becomes the task's
 * `error_message`. The original error — provider bodies, database text, addresses — is not attached
 * as the failure's cause (it would travel into the workflow and its history); runActivity logs it
 * with the task and workflow ids instead.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { isConceptflowError, ProviderUnavailableError, publicMessageOf } from '../domain/errors.js';

export const UNEXPECTED_ERROR_TYPE = 'UnexpectedError';

export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (isConceptflowError(err)) {
    return ApplicationFailure.create({
      message: publicMessageOf(err),
      type: err.type,
      nonRetryable: !err.retryable,
      nextRetryDelay: err instanceof ProviderUnavailableError && err.retryAfterMs ? err.retryAfterMs : undefined,
    });
  }
  // Programmer or unknown operational errors: retry (the policy bounds the attempts).
  return ApplicationFailure.create({ message: publicMessageOf(err), type: UNEXPECTED_ERROR_TYPE, nonRetryable: false });
}
