/**
 * Starting runs: 202 with the Task shape, one active generation per user (409 with the active
 * task, also under concurrent requests), Idempotency-Key replays, Temporal down (503, task failed,
 * never stuck pending), self-healing of a task orphaned between insert and start. Quotas: quotas.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import type { TaskView } from '../../src/api/presenters.js';
import { START_FAILED_MESSAGE } from '../../src/usecases/start-run.js';
import { workflowIdFor } from '../../src/domain/task.js';
import { createHarness, seedTask, validGenerate, type Harness } from './harness.js';

const TASK_KEYS = [
  'created_at',
  'error_message',
  'id',
  'links',
  'metadata',
  'progress',
  'result_id',
  'status',
  'task_id',
  'type',
  'updated_at',
  'workflow_id',
];

describe('starting a generation', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h?.close();
  });

  it('answers 202 with the task, its links, and starts exactly one workflow with the validated input', async () => {
    const res = await request(h.app)
      .post('/api/concepts/generate')
      .send({ logo_description: '  A fox made of circles  ', theme_description: 'warm autumn forest' })
      .expect(202);
    const task = res.body as TaskView;
    assert.deepEqual(Object.keys(task).sort(), TASK_KEYS);
    assert.equal(task.type, 'generation');
    assert.equal(task.status, 'pending');
    assert.equal(task.workflow_id, `concept-generation-${task.task_id}`);
    assert.equal(task.result_id, null);
    assert.equal(task.error_message, null);
    assert.deepEqual(task.metadata, { logo_description: 'A fox made of circles', theme_description: 'warm autumn forest', num_palettes: 7 });
    assert.deepEqual(task.progress, { step: 'claim', percent: 0, message: 'Queued', variations_done: 0, variations_total: 0 });
    assert.deepEqual(task.links, { self: `/api/tasks/${task.task_id}`, events: `/api/tasks/${task.task_id}/events`, result: null });
    assert.equal(res.headers.location, `/api/tasks/${task.task_id}`);
    assert.ok(res.headers['x-request-id']);

    assert.equal(h.runs.started.length, 1);
    assert.deepEqual(h.runs.started[0], {
      type: 'generation',
      workflowId: task.workflow_id,
      input: { task_id: task.task_id, user_id: 'local', logo_description: 'A fox made of circles', theme_description: 'warm autumn forest', num_palettes: 7 },
    });
    const row = await h.persistence.tasks.get(task.task_id, 'local');
    assert.equal(row?.status, 'pending');
  });

  it('serves the generate-with-palettes alias', async () => {
    const res = await request(h.app).post('/api/concepts/generate-with-palettes').send(validGenerate).expect(202);
    assert.equal((res.body as TaskView).metadata.num_palettes, 3);
    assert.equal(h.runs.started.length, 1);
  });

  it('answers 409 with the active task when the user already has a generation running', async () => {
    const first = (await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202)).body as TaskView;
    const res = await request(h.app).post('/api/concepts/generate').send({ ...validGenerate, num_palettes: 5 }).expect(409);
    const body = res.body as { error: { code: string; task_id: string }; task: TaskView };
    assert.equal(body.error.code, 'active_task');
    assert.equal(body.error.task_id, first.task_id);
    assert.equal(body.task.task_id, first.task_id);
    assert.equal(body.task.status, 'pending');
    assert.equal(h.runs.started.length, 1);
  });

  it('allows a new generation once the previous one finished', async () => {
    const first = (await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202)).body as TaskView;
    await h.runs.fail(first.workflow_id!, 'provider down');
    await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
    assert.equal(h.runs.started.length, 2);
  });

  it('lets exactly one of five concurrent requests start a run', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => request(h.app).post('/api/concepts/generate').send(validGenerate)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [202, 409, 409, 409, 409]);
    assert.equal(h.runs.started.length, 1);
    assert.equal((await h.persistence.tasks.list('local', { limit: 50 })).length, 1);
    const winner = responses.find((r) => r.status === 202)!.body as TaskView;
    for (const r of responses.filter((x) => x.status === 409)) assert.equal((r.body as { task: TaskView }).task.task_id, winner.task_id);
  });

  describe('Idempotency-Key', () => {
    it('replays the same task without a second start, also after the run finished', async () => {
      const first = (await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'order-42').send(validGenerate).expect(202)).body as TaskView;
      const again = (await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'order-42').send(validGenerate).expect(202)).body as TaskView;
      assert.equal(again.task_id, first.task_id);
      assert.equal(h.runs.started.length, 1);

      await h.runs.claim(first.workflow_id!);
      await h.runs.complete(first.workflow_id!, randomUUID());
      const later = (await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'order-42').send(validGenerate).expect(202)).body as TaskView;
      assert.equal(later.task_id, first.task_id);
      assert.equal(later.status, 'completed');
      assert.equal(h.runs.started.length, 1);
    });

    it('replays concurrent requests with one key as one task and one start', async () => {
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'burst').send(validGenerate)),
      );
      assert.deepEqual(
        responses.map((r) => r.status),
        [202, 202, 202, 202, 202],
      );
      assert.equal(new Set(responses.map((r) => (r.body as TaskView).task_id)).size, 1);
      assert.equal(h.runs.started.length, 1);
    });

    it('starts a replayed task whose first start never happened, under the same workflow id', async () => {
      const id = randomUUID();
      await h.persistence.tasks.create({
        id,
        user_id: 'local',
        type: 'generation',
        workflow_id: workflowIdFor('generation', id),
        metadata: { ...validGenerate },
        idempotency_key: 'lost-start',
      });
      const res = (await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'lost-start').send(validGenerate).expect(202)).body as TaskView;
      assert.equal(res.task_id, id);
      assert.equal(h.runs.started.length, 1);
      assert.equal(h.runs.started[0]!.workflowId, `concept-generation-${id}`);
      // A second replay finds the workflow and does not start again.
      await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'lost-start').send(validGenerate).expect(202);
      assert.equal(h.runs.started.length, 1);
    });

    it('refuses a key reused with a different request', async () => {
      await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'k1').send(validGenerate).expect(202);
      const res = await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', 'k1').send({ ...validGenerate, num_palettes: 9 }).expect(422);
      assert.equal((res.body as { error: { code: string } }).error.code, 'idempotency_key_reused');
      assert.equal(h.runs.started.length, 1);
    });
  });

  describe('when Temporal cannot be reached', () => {
    it('answers 503 and marks the task failed instead of leaving it pending', async () => {
      h.runs.startError = new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
      const res = await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(503);
      const body = res.body as { error: { code: string; task_id: string }; task: TaskView };
      assert.equal(body.error.code, 'temporal_unavailable');
      assert.equal(body.task.status, 'failed');
      const row = await h.persistence.tasks.get(body.error.task_id, 'local');
      assert.equal(row?.status, 'failed');
      // A readable message; the engine's error (with its address) stays in the log.
      assert.equal(row?.error_message, START_FAILED_MESSAGE);
      assert.doesNotMatch(JSON.stringify(res.body), /UNAVAILABLE|ECONNREFUSED|127\.0\.0\.1|7233/);
      assert.equal(h.runs.started.length, 0);

      // Nothing is stuck: once Temporal is back the user can start again.
      h.runs.startError = null;
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
      assert.equal(h.runs.started.length, 1);
    });
  });

  describe('a pending task orphaned between insert and start', () => {
    it('is failed and replaced once it is older than a minute and has no workflow', async () => {
      const orphan = await seedTask(h.persistence, 'local');
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(409);
      h.clock.offsetMs = 61_000;
      const res = (await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202)).body as TaskView;
      assert.notEqual(res.task_id, orphan.id);
      const old = await h.persistence.tasks.get(orphan.id);
      assert.equal(old?.status, 'failed');
      assert.ok(old?.error_message);
      assert.equal(h.runs.started.length, 1);
    });

    it('is left alone while its workflow exists', async () => {
      const first = (await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202)).body as TaskView;
      h.clock.offsetMs = 61_000;
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(409);
      assert.equal((await h.persistence.tasks.get(first.task_id))?.status, 'pending');
      assert.equal(h.runs.started.length, 1);
    });
  });
});
