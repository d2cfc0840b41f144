/**
 * Task event streams under load (issue 10, defect 3): streams are capped per user and in total
 * (429 with Retry-After beyond), all streams of a task share one poll of the database and
 * Temporal, and a stream ends after its maximum lifetime with a `retry:` hint for the client.
 * Real HTTP server, real embedded database; Temporal is the in-memory FakeConceptRuns.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import type { TaskView } from '../../src/api/presenters.js';
import { listen, type RunningServer } from '../../src/api/server.js';
import { eventStreamsOf } from '../../src/api/sse.js';
import { createHarness, seedTask, tokenFor, type Harness, type HarnessOptions } from './harness.js';
import { openSse, type SseConnection } from './sse-client.js';

const silent = pino({ level: 'silent' });

async function startServer(sse: HarnessOptions['sse']): Promise<{ h: Harness; server: RunningServer }> {
  const h = await createHarness({ withAuth: true, sse });
  const server = await listen(h.app, { host: '127.0.0.1', port: 0, logger: silent });
  return { h, server };
}

/** Counts what each poll costs: one task row read and one workflow query. */
function countLoads(h: Harness): { gets: () => number; queries: () => number } {
  let gets = 0;
  let queries = 0;
  const get = h.persistence.tasks.get.bind(h.persistence.tasks);
  const getProgress = h.runs.getProgress.bind(h.runs);
  h.persistence.tasks.get = (...args) => {
    gets += 1;
    return get(...args);
  };
  h.runs.getProgress = (...args) => {
    queries += 1;
    return getProgress(...args);
  };
  return { gets: () => gets, queries: () => queries };
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('event stream caps', () => {
  let h: Harness;
  let server: RunningServer;
  const open: SseConnection[] = [];
  before(async () => {
    ({ h, server } = await startServer({ pollIntervalMs: 20, heartbeatMs: 60_000, perUser: 3, total: 5, retryMs: 2_000 }));
  });
  after(async () => {
    for (const conn of open) conn.abort();
    await server?.close();
    await h?.close();
  });

  const taskOf = new Map<string, string>();
  const streamOf = async (user: string) => {
    if (!taskOf.has(user)) taskOf.set(user, (await seedTask(h.persistence, user)).id);
    return { path: `/api/tasks/${taskOf.get(user)}/events`, auth: { Authorization: `Bearer ${tokenFor(user)}` } };
  };
  const connect = async (user: string) => {
    const { path, auth } = await streamOf(user);
    const conn = await openSse(`${server.url}${path}`, auth);
    open.push(conn);
    assert.equal(conn.response.statusCode, 200);
    await conn.waitFor((events) => events.length >= 1);
    return conn;
  };
  const refused = async (user: string) => {
    const { path, auth } = await streamOf(user);
    const res = await request(server.url).get(path).set(auth);
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '2');
    assert.equal((res.body as { error: { code: string } }).error.code, 'too_many_streams');
    return res;
  };

  it('caps one user at perUser streams, then the process at total; a closed stream frees its slot', async () => {
    const registry = eventStreamsOf(h.app);
    const alice = [await connect('alice'), await connect('alice'), await connect('alice')];
    assert.match(String((await refused('alice')).body.error.message), /3 open event streams/);
    await connect('bob');
    await connect('bob');
    assert.equal(registry.size, 5);
    await refused('carol');
    await refused('bob');

    alice[0]!.abort();
    await waitUntil(() => registry.size === 4, 'the aborted stream to be released');
    await connect('carol');
    await refused('alice');
  });
});

describe('shared polling', () => {
  let h: Harness;
  let server: RunningServer;
  const INTERVAL_MS = 50;
  before(async () => {
    ({ h, server } = await startServer({ pollIntervalMs: INTERVAL_MS, heartbeatMs: 60_000, perUser: 100, total: 100 }));
  });
  after(async () => {
    await server?.close();
    await h?.close();
  });

  it('polls once per task per interval however many streams follow it, and fans every change out', async () => {
    const user = 'many-tabs';
    const res = await request(h.app).post('/api/concepts/generate').set('Authorization', `Bearer ${tokenFor(user)}`).send({ logo_description: 'A fox', theme_description: 'autumn forest' });
    assert.equal(res.status, 202);
    const task = res.body as TaskView;
    // The run claims its task (pending → processing) before it has progress to show.
    await h.runs.claim(task.workflow_id!);
    const STREAMS = 40;
    const conns = await Promise.all(
      Array.from({ length: STREAMS }, () => openSse(`${server.url}/api/tasks/${task.task_id}/events`, { Authorization: `Bearer ${tokenFor(user)}` })),
    );
    await Promise.all(conns.map((c) => c.waitFor((events) => events.length >= 1)));
    assert.ok(conns.every((c) => c.retryMs === 3_000), 'every stream tells the client its reconnection delay');

    const loads = countLoads(h);
    const WINDOW_MS = 1_000;
    await sleep(WINDOW_MS);
    const gets = loads.gets();
    const queries = loads.queries();
    const perInterval = WINDOW_MS / INTERVAL_MS;
    // One shared poll: about one row read and one workflow query per interval (timers may drift),
    // where one poll per stream would be STREAMS × perInterval = 800.
    assert.ok(gets <= perInterval * 1.5 + 2, `${gets} task reads in ${WINDOW_MS} ms with ${STREAMS} streams`);
    assert.ok(gets >= perInterval / 4, `the poll is alive (${gets} reads)`);
    assert.ok(queries <= perInterval * 1.5 + 2, `${queries} workflow queries in ${WINDOW_MS} ms`);
    console.log(`# ${STREAMS} streams on one task, ${INTERVAL_MS} ms interval: ${gets} row reads and ${queries} workflow queries in ${WINDOW_MS} ms`);

    h.runs.setProgress(task.workflow_id!, { step: 'variations', percent: 70, message: 'Created 2 of 3 variations', variations_done: 2, variations_total: 3 });
    await Promise.all(conns.map((c) => c.waitFor((events) => events.some((e) => (e.data as TaskView).progress.variations_done === 2))));
    await h.runs.cancel(task.workflow_id!);
    await Promise.all(conns.map((c) => c.ended));
    for (const conn of conns) {
      assert.equal(conn.events.at(-1)?.event, 'done');
      assert.equal((conn.events.at(-1)?.data as TaskView).status, 'canceled');
    }
    // Every stream ended: nothing polls any more.
    const afterEnd = loads.gets();
    await sleep(INTERVAL_MS * 6);
    assert.equal(loads.gets(), afterEnd, 'the shared poll stopped with its last stream');
    assert.equal(eventStreamsOf(h.app).size, 0);
  });

  it('polls each task once, and stops a task’s poll when its last stream disconnects', async () => {
    const tasks = [await seedTask(h.persistence, 'two-tasks', 'generation'), await seedTask(h.persistence, 'two-tasks', 'refinement')];
    const auth = { Authorization: `Bearer ${tokenFor('two-tasks')}` };
    const conns = await Promise.all(tasks.flatMap((t) => Array.from({ length: 10 }, () => openSse(`${server.url}/api/tasks/${t.id}/events`, auth))));
    await Promise.all(conns.map((c) => c.waitFor((events) => events.length >= 1)));
    const loads = countLoads(h);
    await sleep(500);
    assert.ok(loads.gets() <= 2 * (500 / INTERVAL_MS) * 1.5 + 4, `${loads.gets()} reads for 2 tasks × 10 streams in 500 ms`);
    for (const conn of conns) conn.abort();
    await waitUntil(() => eventStreamsOf(h.app).size === 0, 'all streams to close');
    await sleep(INTERVAL_MS * 2);
    const atClose = loads.gets();
    await sleep(INTERVAL_MS * 6);
    assert.equal(loads.gets(), atClose, 'no poll without a stream');
  });
});

describe('stream lifetime', () => {
  let h: Harness;
  let server: RunningServer;
  before(async () => {
    ({ h, server } = await startServer({ pollIntervalMs: 20, heartbeatMs: 60_000, maxLifetimeMs: 300, retryMs: 1_000 }));
  });
  after(async () => {
    await server?.close();
    await h?.close();
  });

  it('ends a stream at its maximum lifetime (no done); the reconnecting client gets the current state at once', async () => {
    const task = await seedTask(h.persistence, 'long-watcher');
    const url = `${server.url}/api/tasks/${task.id}/events`;
    const auth = { Authorization: `Bearer ${tokenFor('long-watcher')}` };
    const started = Date.now();
    const first = await openSse(url, auth);
    await first.ended;
    const lived = Date.now() - started;
    assert.ok(lived >= 280 && lived < 3_000, `lived ${lived} ms`);
    assert.equal(first.retryMs, 1_000);
    assert.ok(first.comments.some((c) => /lifetime/.test(c)));
    assert.deepEqual(
      first.events.map((e) => e.event),
      ['progress'],
    );

    await h.persistence.tasks.finish(task.id, 'failed', 'boom');
    const again = await openSse(url, auth);
    await again.ended;
    assert.deepEqual(
      again.events.map((e) => e.event),
      ['done'],
    );
  });
});
