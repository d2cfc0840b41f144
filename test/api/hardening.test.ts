/**
 * Hardening (issue 10, item 6): the DNS-rebinding guard of the unauthenticated mode, server
 * header/request timeouts against slow clients, paging past the first 50 items, and the
 * configuration rules (SIGNING_SECRET length, token audience and lifetime, stream caps).
 * JWT checks (jose, aud, crit, lifetime) are in auth.test.ts.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import type { ConceptView, TaskView } from '../../src/api/presenters.js';
import { listen, type RunningServer } from '../../src/api/server.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { authAs, createHarness, seedConcept, seedTask, type Harness } from './harness.js';

interface ErrorResponse {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

describe('unauthenticated mode: only loopback Host and Origin (DNS rebinding)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('refuses a Host that is not loopback, on every route', async () => {
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.1.evil.example', '192.168.1.20:3000', '0.0.0.0:3000']) {
      for (const path of ['/api/tasks', '/api/health', '/files/concept-images/local/x.png']) {
        const res = await request(h.app).get(path).set('Host', host);
        assert.equal(res.status, 403, `${host} ${path}`);
        assert.equal((res.body as ErrorResponse).error.code, 'forbidden_host');
      }
    }
  });

  it('accepts 127.0.0.1, localhost and [::1] with any port', async () => {
    for (const host of ['127.0.0.1', '127.0.0.1:3000', 'localhost:5173', 'LOCALHOST', '[::1]:3000', '[::1]']) {
      const res = await request(h.app).get('/api/tasks').set('Host', host);
      assert.equal(res.status, 200, host);
    }
  });

  it('refuses a foreign or opaque Origin, accepts a loopback one', async () => {
    for (const origin of ['http://evil.example', 'https://127.0.0.1.evil.example', 'null', 'file://', 'http://localhost.evil.example:5173']) {
      const res = await request(h.app).get('/api/tasks').set('Origin', origin);
      assert.equal(res.status, 403, origin);
      assert.equal((res.body as ErrorResponse).error.code, 'forbidden_origin');
    }
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'https://[::1]:8443']) {
      assert.equal((await request(h.app).get('/api/tasks').set('Origin', origin)).status, 200, origin);
    }
  });

  it('does not apply once auth is configured (tokens decide)', async () => {
    const authed = await createHarness({ withAuth: true });
    try {
      assert.equal((await request(authed.app).get('/api/health').set('Host', 'api.example.com')).status, 200);
      assert.equal((await request(authed.app).get('/api/tasks').set('Host', 'api.example.com').set(authAs('u1'))).status, 200);
      assert.equal((await request(authed.app).get('/api/tasks').set('Host', 'api.example.com')).status, 401);
    } finally {
      await authed.close();
    }
  });
});

describe('slow clients are cut by the server timeouts', () => {
  let h: Harness;
  let server: RunningServer;
  before(async () => {
    h = await createHarness();
    server = await listen(h.app, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), headersTimeoutMs: 300, requestTimeoutMs: 600 });
  });
  after(async () => {
    await server?.close();
    await h?.close();
  });

  /** Writes `parts` and returns what the server answered and how long until it closed the socket. */
  function slowClient(parts: string[]): Promise<{ answer: string; closedAfterMs: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = connect(server.port, '127.0.0.1', () => {
        for (const part of parts) socket.write(part);
      });
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (answer += c));
      socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept a slow connection open for 5 s'));
      }, 5_000).unref();
    });
  }

  it('closes a connection whose headers never finish (408)', async () => {
    const { answer, closedAfterMs } = await slowClient(['GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a']);
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs < 3_000, `${closedAfterMs} ms`);
  });

  it('closes a connection whose body never finishes (408)', async () => {
    const { answer, closedAfterMs } = await slowClient([
      'POST /api/concepts/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"logo_',
    ]);
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs < 3_000, `${closedAfterMs} ms`);
  });
});

describe('paging past the first 50 items', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ withAuth: true });
  });
  after(async () => {
    await h?.close();
  });

  it('walks every task newest first through `next` links, keeping the filters', async () => {
    const user = 'pager';
    const ids: string[] = [];
    for (let i = 0; i < 61; i++) {
      const task = await seedTask(h.persistence, user);
      await h.persistence.tasks.finish(task.id, i % 2 === 0 ? 'failed' : 'canceled', 'done');
      ids.unshift(task.id);
    }
    const seen: string[] = [];
    let next: string | null = '/api/tasks?limit=50';
    const pages: number[] = [];
    while (next && pages.length < 5) {
      const res = await request(h.app).get(next).set(authAs(user)).expect(200);
      const body = res.body as { tasks: TaskView[]; next: string | null };
      pages.push(body.tasks.length);
      seen.push(...body.tasks.map((t) => t.task_id));
      next = body.next;
    }
    assert.deepEqual(pages, [50, 11]);
    assert.deepEqual(seen, ids);

    const failedIds = ids.filter((_, i) => (60 - i) % 2 === 0);
    const first = (await request(h.app).get('/api/tasks?status=failed&limit=20').set(authAs(user)).expect(200)).body as { tasks: TaskView[]; next: string };
    assert.match(first.next, /status=failed/);
    assert.match(first.next, /limit=20/);
    const second = (await request(h.app).get(first.next).set(authAs(user)).expect(200)).body as { tasks: TaskView[]; next: string | null };
    assert.deepEqual([...first.tasks, ...second.tasks].map((t) => t.task_id), failedIds.slice(0, 40));
    assert.ok(second.tasks.every((t) => t.status === 'failed'));
  });

  it('a full last page has no next link; a foreign or unknown cursor gives an empty page; a malformed one is 400', async () => {
    const user = 'pager-2';
    for (let i = 0; i < 3; i++) {
      const task = await seedTask(h.persistence, user);
      await h.persistence.tasks.finish(task.id, 'failed', 'x');
    }
    const exact = (await request(h.app).get('/api/tasks?limit=3').set(authAs(user)).expect(200)).body as { tasks: TaskView[]; next: string | null };
    assert.equal(exact.tasks.length, 3);
    assert.equal(exact.next, null);
    const foreign = (await request(h.app).get(`/api/tasks?before=${exact.tasks[0]!.task_id}`).set(authAs('someone-else')).expect(200)).body as { tasks: TaskView[] };
    assert.deepEqual(foreign.tasks, []);
    const bad = await request(h.app).get('/api/tasks?before=nope').set(authAs(user)).expect(400);
    assert.deepEqual((bad.body as ErrorResponse).error.fields?.map((f) => f.field), ['before']);
    await request(h.app).get('/api/tasks?limit=51').set(authAs(user)).expect(400);
  });

  it('pages concepts the same way', async () => {
    const user = 'concept-pager';
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await seedConcept(h.persistence, user, 1)).concept.id);
    const first = (await request(h.app).get('/api/concepts?limit=2').set(authAs(user)).expect(200)).body as { concepts: ConceptView[]; next: string };
    assert.equal(first.next, `/api/concepts?limit=2&before=${ids[1]}`);
    const second = (await request(h.app).get(first.next).set(authAs(user)).expect(200)).body as { concepts: ConceptView[]; next: string | null };
    assert.deepEqual([...first.concepts, ...second.concepts].map((c) => c.id), ids);
    assert.equal(second.next, null);
  });
});

describe('configuration rules', () => {
  it('refuses a SIGNING_SECRET shorter than 32 characters, saying how to make one', () => {
    assert.throws(
      () => loadConfig({ SIGNING_SECRET: 'too-short-secret' }),
      (err: unknown) => err instanceof ConfigError && /SIGNING_SECRET must be at least 32 characters \(it has 16\).*openssl rand/.test(err.message),
    );
    assert.equal(loadConfig({ SIGNING_SECRET: 'x'.repeat(32) }).signingSecret, 'x'.repeat(32));
    assert.equal(loadConfig({}).signingSecret, undefined);
  });

  it('reads the token audience and lifetime, and the stream caps, with defaults', () => {
    const defaults = loadConfig({});
    assert.deepEqual(defaults.auth.audience, ['authenticated']);
    assert.equal(defaults.auth.maxTokenLifetimeSeconds, 86_400);
    assert.deepEqual(defaults.eventStreams, { perUser: 10, total: 500, maxLifetimeMs: 600_000 });
    const custom = loadConfig({
      SUPABASE_JWT_AUDIENCE: 'authenticated, studio',
      SUPABASE_JWT_MAX_LIFETIME_SECONDS: '3600',
      SSE_MAX_STREAMS_PER_USER: '2',
      SSE_MAX_STREAMS: '50',
      SSE_MAX_STREAM_SECONDS: '120',
    });
    assert.deepEqual(custom.auth.audience, ['authenticated', 'studio']);
    assert.equal(custom.auth.maxTokenLifetimeSeconds, 3600);
    assert.deepEqual(custom.eventStreams, { perUser: 2, total: 50, maxLifetimeMs: 120_000 });
    assert.throws(() => loadConfig({ SSE_MAX_STREAMS_PER_USER: '0' }), ConfigError);
  });
});
