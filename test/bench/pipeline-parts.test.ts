/**
 * The pipeline benchmark's own arithmetic, which its figures rest on: percentiles, the direct
 * baseline's activity slots (the worker's concurrency), and the time breakdown read from a history.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import { activitySlots } from '../../bench/pipeline/direct.js';
import { breakdown } from '../../bench/pipeline/history.js';
import { percentile } from '../../bench/pipeline/stats.js';

const EventType = proto.temporal.api.enums.v1.EventType;

describe('pipeline benchmark parts', () => {
  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 95), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('runs at most `size` pieces of work at once, and all of them', async () => {
    const slots = activitySlots(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        slots(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2 + (i % 3)));
          running -= 1;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(results, Array.from({ length: 12 }, (_, i) => i));
    await assert.rejects(slots(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await slots(async () => 'a slot was given back after a failure'), 'a slot was given back after a failure');
  });

  it('splits a run into time with an activity running and the rest, from the history', () => {
    const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
    let id = 0;
    const event = (ms: number, eventType: number, attributes: Record<string, unknown> = {}) =>
      proto.temporal.api.history.v1.HistoryEvent.fromObject({ eventId: ++id, eventTime: at(ms), eventType, ...attributes });
    const events = [
      event(1_000, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
      event(1_000, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), // 2
      event(1_050, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, { workflowTaskCompletedEventAttributes: { scheduledEventId: 2 } }),
      event(1_050, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), // 4
      event(1_050, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), // 5
      event(1_100, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { scheduledEventId: 4 } }),
      event(1_150, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { scheduledEventId: 5 } }),
      event(1_300, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { activityTaskCompletedEventAttributes: { scheduledEventId: 4 } }),
      event(1_400, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { activityTaskCompletedEventAttributes: { scheduledEventId: 5 } }),
      event(1_400, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED), // 10
      event(1_500, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, { workflowTaskCompletedEventAttributes: { scheduledEventId: 10 } }),
      event(1_500, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED),
    ];
    const time = breakdown(events);
    assert.equal(time.wallMs, 500);
    assert.equal(time.inActivitiesMs, 300, 'the overlapping activities count once: 1100 → 1400');
    assert.equal(time.orchestrationMs, 200);
    assert.equal(time.activities, 2);
    assert.equal(time.meanScheduleToStartMs, 75);
    assert.equal(time.maxScheduleToStartMs, 100);
    assert.equal(time.workflowTasks, 2);
    assert.equal(time.meanWorkflowTaskMs, 75);
  });
});
