/**
 * Workflow histories read through the Temporal client: which activities ran, how many attempts
 * each took and why the earlier ones failed, and where a cancellation request landed.
 */
import type { temporal } from '@temporalio/proto';
import type { DevServer } from './temporal-server.js';

export interface ActivityRun {
  name: string;
  scheduledEventId: number;
  /** Attempts made (the attempt number of the last start; 0 when it never started). */
  attempts: number;
  /** Type of the failure that ended the previous attempt, if any. */
  lastFailureType: string | undefined;
  lastFailureMessage: string | undefined;
  outcome: 'completed' | 'failed' | 'timed_out' | 'canceled' | 'open';
}

export interface RunHistory {
  activities: ActivityRun[];
  /** Event id of WorkflowExecutionCancelRequested, if a cancellation was requested. */
  cancelRequestedEventId: number | undefined;
  closed: 'completed' | 'failed' | 'canceled' | 'terminated' | 'timed_out' | 'open';
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const failureType = (failure: temporal.api.failure.v1.IFailure | null | undefined): string | undefined => {
  for (let f = failure; f; f = f.cause) if (f.applicationFailureInfo?.type) return f.applicationFailureInfo.type;
  return undefined;
};

export function readHistory(events: HistoryEvent[]): RunHistory {
  const byScheduled = new Map<number, ActivityRun>();
  let cancelRequestedEventId: number | undefined;
  let closed: RunHistory['closed'] = 'open';
  for (const event of events) {
    const id = Number(event.eventId);
    if (event.activityTaskScheduledEventAttributes) {
      byScheduled.set(id, {
        name: event.activityTaskScheduledEventAttributes.activityType?.name ?? '?',
        scheduledEventId: id,
        attempts: 0,
        lastFailureType: undefined,
        lastFailureMessage: undefined,
        outcome: 'open',
      });
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const run = byScheduled.get(Number(started.scheduledEventId));
      if (run) {
        run.attempts = started.attempt ?? 1;
        run.lastFailureType = failureType(started.lastFailure);
        run.lastFailureMessage = started.lastFailure?.message ?? undefined;
      }
    }
    const ended: [ActivityRun['outcome'], { scheduledEventId?: unknown } | null | undefined][] = [
      ['completed', event.activityTaskCompletedEventAttributes],
      ['failed', event.activityTaskFailedEventAttributes],
      ['timed_out', event.activityTaskTimedOutEventAttributes],
      ['canceled', event.activityTaskCanceledEventAttributes],
    ];
    for (const [outcome, attributes] of ended) {
      const run = attributes ? byScheduled.get(Number(attributes.scheduledEventId)) : undefined;
      if (run) run.outcome = outcome;
    }
    if (event.workflowExecutionCancelRequestedEventAttributes) cancelRequestedEventId ??= id;
    if (event.workflowExecutionCompletedEventAttributes) closed = 'completed';
    if (event.workflowExecutionFailedEventAttributes) closed = 'failed';
    if (event.workflowExecutionCanceledEventAttributes) closed = 'canceled';
    if (event.workflowExecutionTerminatedEventAttributes) closed = 'terminated';
    if (event.workflowExecutionTimedOutEventAttributes) closed = 'timed_out';
  }
  return { activities: [...byScheduled.values()], cancelRequestedEventId, closed };
}

/** The histories of the given workflows. */
export async function fetchHistories(temporal: DevServer, workflowIds: string[]): Promise<Map<string, RunHistory>> {
  return temporal.withClient(async (client) => {
    const out = new Map<string, RunHistory>();
    for (const id of workflowIds) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      out.set(id, readHistory(history.events ?? []));
    }
    return out;
  });
}

/** Waits (bounded) until each workflow has closed, whatever its outcome. */
export async function waitClosed(temporal: DevServer, workflowIds: string[], timeoutMs: number): Promise<void> {
  await temporal.withClient(async (client) => {
    const deadline = Date.now() + timeoutMs;
    for (const id of workflowIds) {
      await client
        .withDeadline(deadline, () => client.workflow.getHandle(id).result())
        .catch(() => undefined);
    }
  });
}
