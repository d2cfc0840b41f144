/**
 * Reading and canceling tasks with auth configured (two users' HS256 tokens): 401s, live
 * progress, isolation between users, lists, cancel, and the SSE stream over a real server.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import type { TaskView } from '../../src/api/presenters.js';
import { listen, type RunningServer } from '../../src/api/server.js';
import { claimsFor, hs256Token, nowSeconds } from './tokens.js';
import { authAs, createHarness, JWT_SECRET, seedTask, tokenFor, validGenerate, type Harness } from './harness.js';
import { openSse } from './sse-client.js';

describe('tasks API with auth', () => {
  let h: Harness;
  const alice = () => `alice-${randomUUID().slice(0, 8)}`;

  before(async () => {
    h = await createHarness({ withAuth: true });
  });
  after(async () => {
    await h?.close();
  });

  async function startFor(user: string): Promise<TaskView> {
    return (await request(h.app).post('/api/concepts/generate').set(authAs(user)).send(validGenerate).expect(202)).body as TaskView;
  }

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate without a token, with a bad one, and with an expired one', async () => {
      for (const headers of [
        {},
        { Authorization: 'Bearer not.a.token' },
        { Authorization: `Bearer ${hs256Token('wrong-secret', claimsFor('alice'))}` },
        { Authorization: `Bearer ${hs256Token(JWT_SECRET, claimsFor('alice', { exp: nowSeconds() - 120 }))}` },
      ]) {
        const res = await request(h.app).get('/api/tasks').set(headers).expect(401);
        assert.match(String(res.headers['www-authenticate']), /^Bearer/);
        assert.ok(['unauthorized', 'invalid_token'].includes((res.body as { error: { code: string } }).error.code));
      }
    });

    it('does not start anything for an unauthenticated start request', async () => {
      const before = h.runs.startCalls;
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(401);
      assert.equal(h.runs.startCalls, before);
    });

    it('leaves liveness and readiness open', async () => {
      await request(h.app).get('/api/health').expect(200);
      await request(h.app).get('/api/ready').expect(200);
    });
  });

  describe('GET /api/tasks/:id', () => {
    it('shows live progress from the workflow while the task runs', async () => {
      const user = alice();
      const task = await startFor(user);
      await h.runs.claim(task.workflow_id!);
      h.runs.setProgress(task.workflow_id!, { step: 'variations', percent: 63, message: 'Created 2 of 5 variations', variations_done: 2, variations_total: 5 });
      const res = (await request(h.app).get(`/api/tasks/${task.task_id}`).set(authAs(user)).expect(200)).body as TaskView;
      assert.equal(res.status, 'processing');
      assert.deepEqual(res.progress, { step: 'variations', percent: 63, message: 'Created 2 of 5 variations', variations_done: 2, variations_total: 5 });
    });

    it('shows a queued task from its row, without a workflow query (the POST that starts it neither)', async () => {
      const user = alice();
      const queriesBefore = h.runs.queryCalls;
      const task = await startFor(user);
      const res = (await request(h.app).get(`/api/tasks/${task.task_id}`).set(authAs(user)).expect(200)).body as TaskView;
      assert.equal(res.status, 'pending');
      assert.deepEqual(res.progress, { step: 'claim', percent: 0, message: 'Queued', variations_done: 0, variations_total: 0 });
      assert.equal(h.runs.queryCalls, queriesBefore, 'no progress query for a pending task');
      await h.runs.claim(task.workflow_id!);
      await request(h.app).get(`/api/tasks/${task.task_id}`).set(authAs(user)).expect(200);
      assert.equal(h.runs.queryCalls, queriesBefore + 1, 'a processing task is queried');
    });

    it('falls back to the stored state when the progress query fails', async () => {
      const user = alice();
      const task = await startFor(user);
      await h.runs.claim(task.workflow_id!);
      h.runs.queryError = new Error('deadline exceeded');
      try {
        const res = (await request(h.app).get(`/api/tasks/${task.task_id}`).set(authAs(user)).expect(200)).body as TaskView;
        assert.equal(res.status, 'processing');
        assert.equal(res.progress.message, 'Processing');
      } finally {
        h.runs.queryError = null;
      }
    });

    it('shows a finished task from its row, with the result link', async () => {
      const user = alice();
      const task = await startFor(user);
      await h.runs.claim(task.workflow_id!);
      const conceptId = randomUUID();
      await h.runs.complete(task.workflow_id!, conceptId);
      const res = (await request(h.app).get(`/api/tasks/${task.task_id}`).set(authAs(user)).expect(200)).body as TaskView;
      assert.equal(res.status, 'completed');
      assert.equal(res.result_id, conceptId);
      assert.equal(res.progress.percent, 100);
      assert.equal(res.links.result, `/api/concepts/${conceptId}`);
    });

    it("answers 404 for another user's task, a missing task and a non-UUID", async () => {
      const owner = alice();
      const task = await startFor(owner);
      const intruder = alice();
      for (const path of [`/api/tasks/${task.task_id}`, `/api/tasks/${task.task_id}/events`]) {
        const res = await request(h.app).get(path).set(authAs(intruder)).expect(404);
        assert.equal((res.body as { error: { code: string } }).error.code, 'not_found');
      }
      await request(h.app).post(`/api/tasks/${task.task_id}/cancel`).set(authAs(intruder)).expect(404);
      assert.equal((await h.persistence.tasks.get(task.task_id))?.status, 'pending');
      await request(h.app).get(`/api/tasks/${randomUUID()}`).set(authAs(owner)).expect(404);
      await request(h.app).get('/api/tasks/not-a-uuid').set(authAs(owner)).expect(404);
    });
  });

  describe('GET /api/tasks', () => {
    it("lists the user's tasks newest first, with limit and status filters, never another user's", async () => {
      const user = alice();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const t = await seedTask(h.persistence, user);
        await h.persistence.tasks.finish(t.id, i % 2 === 0 ? 'failed' : 'canceled', `run ${i}`);
        ids.push(t.id);
      }
      const running = await startFor(user);
      await seedTask(h.persistence, alice()); // someone else's

      const all = (await request(h.app).get('/api/tasks').set(authAs(user)).expect(200)).body as { tasks: TaskView[] };
      assert.deepEqual(
        all.tasks.map((t) => t.task_id),
        [running.task_id, ...ids.reverse()],
      );
      const two = (await request(h.app).get('/api/tasks?limit=2').set(authAs(user)).expect(200)).body as { tasks: TaskView[] };
      assert.deepEqual(
        two.tasks.map((t) => t.task_id),
        all.tasks.slice(0, 2).map((t) => t.task_id),
      );
      const failed = (await request(h.app).get('/api/tasks?status=failed').set(authAs(user)).expect(200)).body as { tasks: TaskView[] };
      assert.equal(failed.tasks.length, 2);
      assert.ok(failed.tasks.every((t) => t.status === 'failed'));
    });
  });

  describe('POST /api/tasks/:id/cancel', () => {
    it('cancels a running task (202), then answers 409 because it is finished', async () => {
      const user = alice();
      const task = await startFor(user);
      await h.runs.claim(task.workflow_id!);
      const res = (await request(h.app).post(`/api/tasks/${task.task_id}/cancel`).set(authAs(user)).expect(202)).body as TaskView;
      assert.ok(h.runs.cancelCalls.includes(task.workflow_id!));
      assert.equal(res.status, 'canceled');
      const again = await request(h.app).post(`/api/tasks/${task.task_id}/cancel`).set(authAs(user)).expect(409);
      const body = again.body as { error: { code: string }; task: TaskView };
      assert.equal(body.error.code, 'task_finished');
      assert.equal(body.task.status, 'canceled');
    });

    it('cancels a pending task whose workflow never started directly', async () => {
      const user = alice();
      const task = await seedTask(h.persistence, user);
      const res = (await request(h.app).post(`/api/tasks/${task.id}/cancel`).set(authAs(user)).expect(202)).body as TaskView;
      assert.equal(res.status, 'canceled');
      assert.equal((await h.persistence.tasks.get(task.id))?.status, 'canceled');
    });

    it('answers 503 and changes nothing when Temporal cannot be reached', async () => {
      const user = alice();
      const task = await startFor(user);
      const cancel = h.runs.cancel.bind(h.runs);
      h.runs.cancel = () => Promise.reject(new Error('UNAVAILABLE'));
      try {
        await request(h.app).post(`/api/tasks/${task.task_id}/cancel`).set(authAs(user)).expect(503);
      } finally {
        h.runs.cancel = cancel;
      }
      assert.equal((await h.persistence.tasks.get(task.task_id))?.status, 'pending');
    });
  });

  describe('GET /api/tasks/:id/events', () => {
    let server: RunningServer;
    before(async () => {
      server = await listen(h.app, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    });
    after(async () => {
      await server?.close();
    });
    beforeEach(() => {
      h.runs.queryError = null;
    });

    it('streams progress on every change, then done with the final task, then ends', async () => {
      const user = alice();
      const task = await startFor(user);
      const conn = await openSse(`${server.url}/api/tasks/${task.task_id}/events`, { Authorization: `Bearer ${tokenFor(user)}` });
      assert.equal(conn.response.statusCode, 200);
      assert.match(String(conn.response.headers['content-type']), /^text\/event-stream/);
      assert.equal(conn.response.headers['cache-control'], 'no-cache');
      await conn.waitFor((events) => events.length === 1);

      await h.runs.claim(task.workflow_id!);
      await conn.waitFor((events) => events.some((e) => (e.data as TaskView).status === 'processing'));
      h.runs.setProgress(task.workflow_id!, { step: 'variations', percent: 70, message: 'Created 2 of 3 variations', variations_done: 2, variations_total: 3 });
      await conn.waitFor((events) => events.some((e) => (e.data as TaskView).progress.variations_done === 2));
      const conceptId = randomUUID();
      await h.runs.complete(task.workflow_id!, conceptId);
      await conn.ended;

      const names = conn.events.map((e) => e.event);
      assert.equal(names.at(-1), 'done');
      assert.ok(names.slice(0, -1).every((n) => n === 'progress'));
      assert.equal(names.filter((n) => n === 'done').length, 1);
      const statuses = conn.events.map((e) => (e.data as TaskView).status);
      assert.deepEqual([...new Set(statuses)], ['pending', 'processing', 'completed']);
      const final = conn.events.at(-1)!.data as TaskView;
      assert.equal(final.result_id, conceptId);
      assert.equal(final.links.result, `/api/concepts/${conceptId}`);
      // No two consecutive progress events carry the same task.
      for (let i = 1; i < conn.events.length; i++) assert.notDeepEqual(conn.events[i]!.data, conn.events[i - 1]!.data);
    });

    it('sends done at once for a task that is already finished', async () => {
      const user = alice();
      const task = await seedTask(h.persistence, user);
      await h.persistence.tasks.finish(task.id, 'failed', 'boom');
      const conn = await openSse(`${server.url}/api/tasks/${task.id}/events`, { Authorization: `Bearer ${tokenFor(user)}` });
      await conn.ended;
      assert.deepEqual(
        conn.events.map((e) => e.event),
        ['done'],
      );
      assert.equal((conn.events[0]!.data as TaskView).error_message, 'boom');
    });
  });
});
