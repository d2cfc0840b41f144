/**
 * The task use cases' refusals as HTTP (usecases/start-run.ts, usecases/cancel-task.ts): the status,
 * code, message, headers and body each outcome is answered with. The 409s carry the task the
 * client conflicts with; the 503s say whether anything was stored.
 */
import { NotFoundError } from '../domain/errors.js';
import type { CancelOutcome } from '../usecases/cancel-task.js';
import type { StartOutcome } from '../usecases/start-run.js';
import { HttpError } from './errors.js';
import { presentSnapshot } from './presenters.js';
import { quotaExceeded } from './quota-http.js';

export type StartRefusal = Exclude<StartOutcome, { kind: 'created' | 'replayed' }>;
export type CancelRefusal = Exclude<CancelOutcome, { kind: 'cancel_requested' }>;

export function startRefused(outcome: StartRefusal, nowMs: number): Error {
  switch (outcome.kind) {
    case 'active_conflict':
      return new HttpError(409, 'active_task', `You already have an active ${outcome.type} task`, {
        details: { task_id: outcome.task.task.id },
        body: { task: presentSnapshot(outcome.task) },
      });
    case 'idempotency_key_reused':
      return new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request', {
        details: { task_id: outcome.task.id },
      });
    case 'quota_exceeded':
      return quotaExceeded(outcome.category, outcome.decision, nowMs);
    case 'engine_unavailable':
      return new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable, so no run was started; try again shortly.', {
        headers: { 'Retry-After': '5' },
      });
    case 'start_failed':
      return new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable; the task was marked failed. Try again shortly.', {
        details: { task_id: outcome.task.task.id },
        body: { task: presentSnapshot(outcome.task) },
      });
  }
}

export function cancelRefused(outcome: CancelRefusal): Error {
  switch (outcome.kind) {
    case 'not_found':
      return new NotFoundError('Task not found');
    case 'already_finished':
      return new HttpError(409, 'task_finished', `The task is already ${outcome.task.task.status}`, {
        details: { task_id: outcome.task.task.id },
        body: { task: presentSnapshot(outcome.task) },
      });
    case 'engine_unavailable':
      return new HttpError(503, 'temporal_unavailable', 'The workflow engine is unavailable; try again shortly');
  }
}
