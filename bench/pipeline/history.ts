/**
 * P5: one finished generation's full history as the server returns it (GetWorkflowExecutionHistory),
 * serialized as protobuf (what the server stores and sends) and as JSON; the largest payload in
 * it; and a scan of every payload for image bytes.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { imageBytesIn, payloadsOf } from '../../test/support/history-payloads.js';

export interface HistoryFigures {
  workflowId: string;
  events: number;
  protobufBytes: number;
  jsonBytes: number;
  payloads: number;
  maxPayloadBytes: number;
  /** Which payloads held image bytes (none expected). */
  imageBytes: string[];
  time: TimeBreakdown;
}

export async function measureHistory(client: Client, workflowId: string): Promise<HistoryFigures> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  const json = message.toJSON();
  const payloads = payloadsOf(json);
  const imageBytes: string[] = [];
  let maxPayloadBytes = 0;
  for (const [i, payload] of payloads.entries()) {
    const data = Buffer.from(payload.data ?? '', 'base64');
    // A payload's size on the wire: its data plus its metadata (encoding, etc.).
    const size = proto.temporal.api.common.v1.Payload.encode(proto.temporal.api.common.v1.Payload.fromObject(payload)).finish().length;
    maxPayloadBytes = Math.max(maxPayloadBytes, size);
    const kind = imageBytesIn(data);
    if (kind) imageBytes.push(`payload ${i}: ${kind}`);
  }
  return {
    workflowId,
    events: message.events.length,
    protobufBytes: proto.temporal.api.history.v1.History.encode(message).finish().length,
    jsonBytes: Buffer.byteLength(JSON.stringify(json)),
    payloads: payloads.length,
    maxPayloadBytes,
    imageBytes,
    time: breakdown(message.events),
  };
}

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const EventType = proto.temporal.api.enums.v1.EventType;

const timeOf = (e: HistoryEvent): number => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

export interface TimeBreakdown {
  /** Workflow started → completed, by the server's event times. */
  wallMs: number;
  /** Time during which at least one activity was executing (union of started → completed). */
  inActivitiesMs: number;
  /** The rest: dispatch, workflow tasks, server writes between steps. */
  orchestrationMs: number;
  activities: number;
  meanScheduleToStartMs: number;
  maxScheduleToStartMs: number;
  workflowTasks: number;
  meanWorkflowTaskMs: number;
}

/** Where a run's time went, from its history: activity execution against everything between. */
export function breakdown(events: HistoryEvent[]): TimeBreakdown {
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const intervals: [number, number][] = [];
  const scheduleToStart: number[] = [];
  const wfScheduled = new Map<string, number>();
  const wfTasks: number[] = [];
  for (const e of events) {
    const id = String(e.eventId);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(id, timeOf(e));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const key = String(e.activityTaskStartedEventAttributes?.scheduledEventId);
        started.set(key, timeOf(e));
        scheduleToStart.push(timeOf(e) - (scheduled.get(key) ?? timeOf(e)));
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const key = String(e.activityTaskCompletedEventAttributes?.scheduledEventId);
        intervals.push([started.get(key) ?? timeOf(e), timeOf(e)]);
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wfScheduled.set(id, timeOf(e));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
        const key = String(e.workflowTaskCompletedEventAttributes?.scheduledEventId);
        wfTasks.push(timeOf(e) - (wfScheduled.get(key) ?? timeOf(e)));
        break;
      }
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let inActivitiesMs = 0;
  let cursor = -Infinity;
  for (const [from, to] of intervals) {
    const start = Math.max(from, cursor);
    if (to > start) inActivitiesMs += to - start;
    cursor = Math.max(cursor, to);
  }
  const wallMs = timeOf(events.at(-1)!) - timeOf(events[0]!);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    wallMs,
    inActivitiesMs,
    orchestrationMs: wallMs - inActivitiesMs,
    activities: intervals.length,
    meanScheduleToStartMs: mean(scheduleToStart),
    maxScheduleToStartMs: Math.max(0, ...scheduleToStart),
    workflowTasks: wfTasks.length,
    meanWorkflowTaskMs: mean(wfTasks),
  };
}

export interface RunTimes extends TimeBreakdown {
  /** POST sent → the server recorded WorkflowExecutionStarted (the API's start path). */
  postToStartMs: number;
}

/** The breakdown of each run (fetched from the server), with the API start path in front. */
export async function runTimes(client: Client, runs: { workflowId: string; postedAt: number }[]): Promise<RunTimes[]> {
  const out: RunTimes[] = [];
  for (const run of runs) {
    const history = await client.workflow.getHandle(run.workflowId).fetchHistory();
    const events = history.events ?? [];
    out.push({ ...breakdown(events), postToStartMs: timeOf(events[0]!) - run.postedAt });
  }
  return out;
}
