/**
 * Timeouts and retry policies per kind of activity, and the typed activity proxies.
 *
 * Every activity waits for its cancellation to complete (WAIT_CANCELLATION_COMPLETED) so that
 * compensation never races an upload or a row write that is still in flight. A cancellation request
 * reaches an activity only in the answer to a heartbeat: activities heartbeat every second and the
 * worker sends them unthrottled (temporal/worker.ts), so heartbeat timeouts can stay short.
 */
import { ActivityCancellationType, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { ConceptActivities } from '../activities/index.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../domain/errors.js';

const nonRetryableErrorTypes = [...NON_RETRYABLE_ERROR_TYPES];

/** Row updates: seconds each, retried briskly. */
const database: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/**
 * AI provider calls: minutes each, heartbeating every second while they wait (so a crashed worker's
 * attempt is retried within the heartbeat timeout), retried with backoff (Retry-After honoured).
 */
const provider: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 6, nonRetryableErrorTypes },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/** Object store reads/writes and image work: up to a minute, heartbeating. */
const storage: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/** One palette variation: each retried on its own, a few times; the run tolerates some failing. */
const variation: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4, nonRetryableErrorTypes },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/**
 * Compensation and the final status write: retried until they succeed (a task must never stay
 * `processing` without a live workflow behind it); cleanup gives up after 15 minutes.
 */
const cleanup: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const finish: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes },
};

/**
 * The same row writes as local activities: run by the worker inside the workflow task that
 * schedules them, so a claim, a concept store and a completion cost no activity task and no extra
 * workflow task (each a round trip through the server). They are short, idempotent database
 * writes, which is what local activities are for; a worker that dies during one has its workflow
 * task retried elsewhere, which runs the write again.
 */
const localDatabase: LocalActivityOptions = {
  startToCloseTimeout: database.startToCloseTimeout,
  retry: database.retry,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

type RowWrites = Pick<ConceptActivities, 'claimTask' | 'completeTask' | 'storeConcept'>;

/** The row writes as regular activities (runs started before the patch) or as local ones. */
export const rowWrites = proxyActivities<RowWrites>(database);
export const localRowWrites = proxyLocalActivities<RowWrites>(localDatabase);
export const { generateBaseImage, refineImage, generatePalettes } = proxyActivities<ConceptActivities>(provider);
export const { storeBaseImage } = proxyActivities<ConceptActivities>(storage);
export const { createVariation } = proxyActivities<ConceptActivities>(variation);
export const { cleanupTask } = proxyActivities<ConceptActivities>(cleanup);
export const { finishTask } = proxyActivities<ConceptActivities>(finish);
