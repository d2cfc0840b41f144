/**
 * Quotas through the API: only accepted starts count (not 400s, 409s or Idempotency-Key replays),
 * a failed start gives its unit back, users and categories count apart, hourly and monthly windows
 * reset on the hour and month, the counts survive a restart on the same database, and the original
 * frontend reads them from /api/health/rate-limits-status and X-RateLimit-* headers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import request from 'supertest';
import type { TaskView } from '../../src/api/presenters.js';
import type { QuotaLimits } from '../../src/domain/quota.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import { authAs, createHarness, PUBLIC_BASE_URL, seedConcept, validGenerate, type Harness } from './harness.js';

const at = (h: Harness, iso: string) => {
  h.clock.offsetMs = Date.parse(iso) - Date.now();
};
const quotas = (generate: QuotaLimits['generate'], rest: Partial<QuotaLimits> = {}): QuotaLimits => ({
  generate,
  refine: rest.refine ?? [{ period: 'hour', limit: 100 }],
  export: rest.export ?? [{ period: 'hour', limit: 100 }],
});

interface QuotaErrorBody {
  error: { code: string; message: string };
  message: string;
  limit: number;
  current: number;
  period: string;
  reset_after_seconds: number;
}

describe('quotas on run starts', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('counts accepted starts only: 400s, 409s and replays use nothing; the next one over is a 429 that starts nothing', async () => {
    h = await createHarness({ withAuth: true, quotas: quotas([{ period: 'hour', limit: 2 }]) });
    at(h, '2031-01-15T10:30:00Z');
    const alice = authAs('alice');
    for (let i = 0; i < 3; i++) await request(h.app).post('/api/concepts/generate').set(alice).send({ logo_description: 1 }).expect(400);

    const first = await request(h.app).post('/api/concepts/generate').set(alice).set('Idempotency-Key', 'k1').send(validGenerate).expect(202);
    assert.equal(first.headers['x-ratelimit-limit'], '2');
    assert.equal(first.headers['x-ratelimit-remaining'], '1');
    assert.equal(first.headers['x-ratelimit-reset'], String(Date.parse('2031-01-15T11:00:00Z') / 1000));
    for (let i = 0; i < 2; i++) await request(h.app).post('/api/concepts/generate').set(alice).send(validGenerate).expect(409);
    for (let i = 0; i < 2; i++) {
      const replay = await request(h.app).post('/api/concepts/generate').set(alice).set('Idempotency-Key', 'k1').send(validGenerate).expect(202);
      assert.equal((replay.body as TaskView).task_id, (first.body as TaskView).task_id);
    }
    await h.runs.fail(h.runs.started[0]!.workflowId, 'done with it');

    const second = await request(h.app).post('/api/concepts/generate').set(alice).send(validGenerate).expect(202);
    assert.equal(second.headers['x-ratelimit-remaining'], '0');
    await h.runs.fail(h.runs.started[1]!.workflowId, 'done with it');

    const tasksBefore = (await h.persistence.tasks.list('alice', { limit: 50 })).length;
    const refused = await request(h.app).post('/api/concepts/generate').set(alice).send(validGenerate).expect(429);
    const body = refused.body as QuotaErrorBody;
    assert.equal(body.error.code, 'quota_exceeded');
    assert.equal(body.message, body.error.message);
    assert.match(body.message, /^Concept generation limit reached \(2\/2 per hour\)\. Please try again in 30 minutes\.$/);
    assert.deepEqual([body.limit, body.current, body.period], [2, 2, 'hour']);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 29 * 60 && retryAfter <= 30 * 60, `Retry-After ${retryAfter}`);
    assert.equal(body.reset_after_seconds, retryAfter);
    assert.equal(refused.headers['x-ratelimit-remaining'], '0');
    assert.equal((await h.persistence.tasks.list('alice', { limit: 50 })).length, tasksBefore, 'the refused start left no task');
    assert.equal(h.runs.started.length, 2);

    // Another user and another category have their own counts; the next hour has a fresh one.
    await request(h.app).post('/api/concepts/generate').set(authAs('bob')).send(validGenerate).expect(202);
    at(h, '2031-01-15T11:00:01Z');
    await request(h.app).post('/api/concepts/generate').set(alice).send(validGenerate).expect(202);
  });

  it('gives the unit back when the workflow cannot be started', async () => {
    h = await createHarness({ quotas: quotas([{ period: 'month', limit: 1 }]) });
    h.runs.startError = new Error('connect ECONNREFUSED 127.0.0.1:7233');
    await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(503);
    await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(503);
    h.runs.startError = null;
    const started = await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
    assert.equal(started.headers['x-ratelimit-remaining'], '0');
  });

  it('enforces the month as well as the hour, and says to wait for the month', async () => {
    h = await createHarness({
      quotas: quotas([
        { period: 'hour', limit: 5 },
        { period: 'month', limit: 2 },
      ]),
    });
    at(h, '2031-03-31T22:00:00Z');
    for (let i = 0; i < 2; i++) {
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
      await h.runs.fail(h.runs.started[i]!.workflowId, 'next');
    }
    const refused = await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(429);
    assert.equal((refused.body as QuotaErrorBody).period, 'month');
    assert.equal(refused.headers['x-ratelimit-reset'], String(Date.parse('2031-04-01T00:00:00Z') / 1000));
    assert.match((refused.body as QuotaErrorBody).message, /2\/2 per month\)\. Please try again in 2 hours\./);
    at(h, '2031-04-01T00:00:05Z');
    await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
  });

  it('keeps counting across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'conceptflow-quota-'));
    try {
      const limits = quotas([{ period: 'month', limit: 1 }]);
      const open = () => createEmbeddedPersistence({ dataDir, publicBaseUrl: PUBLIC_BASE_URL, signingSecret: 'quota-restart' });
      const before = await open();
      h = await createHarness({ persistence: before, quotas: limits });
      await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
      await h.runs.fail(h.runs.started[0]!.workflowId, 'next');
      await before.close();

      const after = await open();
      h = await createHarness({ persistence: after, quotas: limits });
      try {
        await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(429);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('GET /api/health/rate-limits-status', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('answers the user’s standing per category in the original frontend’s shape, counting nothing', async () => {
    h = await createHarness({
      withAuth: true,
      quotas: {
        generate: [
          { period: 'hour', limit: 3 },
          { period: 'month', limit: 10 },
        ],
        refine: [],
        export: [{ period: 'hour', limit: 50 }],
      },
    });
    at(h, '2031-06-10T09:45:00Z');
    await request(h.app).get('/api/health/rate-limits-status').expect(401);
    const { concept } = await seedConcept(h.persistence, 'carol');
    await request(h.app).post('/api/concepts/generate').set(authAs('carol')).send(validGenerate).expect(202);
    await request(h.app).post('/api/export/process').set(authAs('carol')).send({ concept_id: concept.id, target_format: 'png', target_size: 'small' }).expect(200);

    for (let i = 0; i < 2; i++) {
      const res = await request(h.app).get('/api/health/rate-limits-status').set(authAs('carol')).expect(200);
      const body = res.body as { user_identifier: string; authenticated: boolean; limits: Record<string, Record<string, unknown>> };
      assert.equal(body.authenticated, true);
      assert.equal(body.user_identifier, 'user:caro****');
      assert.deepEqual(Object.keys(body.limits).sort(), ['export_action', 'generate_concept'], 'unlimited categories are left out');
      const generate = body.limits.generate_concept!;
      assert.deepEqual({ limit: generate.limit, remaining: generate.remaining, period: generate.period }, { limit: '3/hour', remaining: 2, period: 'hour' });
      const resetAfter = generate.reset_after as number;
      assert.ok(resetAfter > 14 * 60 && resetAfter <= 15 * 60, `reset_after ${resetAfter}`);
      assert.equal((generate.windows as unknown[]).length, 2);
      assert.deepEqual([body.limits.export_action!.limit, body.limits.export_action!.remaining], ['50/hour', 49]);
    }
  });
});
