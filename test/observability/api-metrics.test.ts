/**
 * The API's own metrics, as a scraper reads them from /metrics: requests by route pattern and
 * status, runs started by type, 429 rejections by code, open event streams; and a start refused
 * while Temporal does not answer (503, nothing stored, nothing counted as started).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { LOCAL_USER_ID } from '../../src/api/auth.js';
import { listen } from '../../src/api/server.js';
import { createLogger } from '../../src/logger.js';
import { createApiMetrics, createProcessRegistry, Registry } from '../../src/observability/metrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server.js';
import { createHarness, GENEROUS_QUOTAS, seedTask, validGenerate, type Harness } from '../api/harness.js';
import { openSse } from '../api/sse-client.js';
import { sampleValue, scrape, type Sample } from '../support/prometheus-text.js';

const HTTP = 'conceptflow_http_request_duration_seconds_count';

describe('API metrics on /metrics', () => {
  let h: Harness;
  let api: { url: string; close(): Promise<void> };
  let metrics: MetricsServer;
  const read = (): Promise<Sample[]> => scrape(metrics.url);

  before(async () => {
    const registry = createProcessRegistry();
    h = await createHarness({ metrics: createApiMetrics(registry), quotas: { ...GENEROUS_QUOTAS, generate: [{ period: 'hour', limit: 1 }] } });
    const logger = createLogger('silent');
    api = await listen(h.app, { host: '127.0.0.1', port: 0, logger });
    metrics = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, logger });
  });

  after(async () => {
    await api?.close();
    await metrics?.close();
    await h?.close();
  });

  const post = (body: unknown) =>
    fetch(`${api.url}/api/concepts/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('counts requests by route pattern and status, and runs started by type', async () => {
    const created = await post(validGenerate);
    assert.equal(created.status, 202);
    const task = (await created.json()) as { task_id: string };
    assert.equal((await fetch(`${api.url}/api/tasks/${task.task_id}`)).status, 200);
    assert.equal((await fetch(`${api.url}/api/tasks/6f1f7a8e-0000-4000-8000-000000000000`)).status, 404);
    assert.equal((await fetch(`${api.url}/api/no/such/${task.task_id}`)).status, 404);

    const samples = await read();
    assert.equal(sampleValue(samples, HTTP, { method: 'POST', route: '/api/concepts/generate', status: '202' }), 1);
    assert.equal(sampleValue(samples, HTTP, { method: 'GET', route: '/api/tasks/:id', status: '200' }), 1);
    assert.equal(sampleValue(samples, HTTP, { method: 'GET', route: '/api/tasks/:id', status: '404' }), 1);
    assert.equal(sampleValue(samples, HTTP, { route: 'unmatched', status: '404' }), 1);
    assert.ok(!samples.some((s) => s.labels.route?.includes(task.task_id)), 'no raw path ever becomes a label');
    assert.equal(sampleValue(samples, 'conceptflow_runs_started_total', { type: 'generation' }), 1);
    assert.ok(sampleValue(samples, 'process_resident_memory_bytes') > 0, 'process metrics are exported too');
  });

  it('counts 429s by route and error code', async () => {
    // Quota 1 generation per hour: the first POST above used it; a 409 (active task) does not count.
    assert.equal((await post(validGenerate)).status, 409);
    const [active] = await h.persistence.tasks.list(LOCAL_USER_ID, { limit: 1 });
    await h.persistence.tasks.finish(active!.id, 'failed', 'finished for the test');
    const refused = await post(validGenerate);
    assert.equal(refused.status, 429);
    const samples = await read();
    assert.equal(sampleValue(samples, 'conceptflow_http_rejections_total', { route: '/api/concepts/generate', code: 'quota_exceeded' }), 1);
    assert.equal(sampleValue(samples, HTTP, { route: '/api/concepts/generate', status: '429' }), 1);
  });

  it('reports open event streams while they are open', async () => {
    // An active task (the one above was finished), so its stream stays open.
    const task = await seedTask(h.persistence, LOCAL_USER_ID);
    const stream = await openSse(`${api.url}/api/tasks/${task.id}/events`);
    try {
      await stream.waitFor((_events, comments) => comments.length > 0);
      assert.equal(sampleValue(await read(), 'conceptflow_event_streams_open'), 1);
    } finally {
      stream.abort();
    }
    for (let i = 0; i < 50 && sampleValue(await read(), 'conceptflow_event_streams_open') !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sampleValue(await read(), 'conceptflow_event_streams_open'), 0);
  });
});

describe('starting a run while Temporal does not answer', () => {
  let h: Harness;
  const registry = new Registry();

  before(async () => {
    h = await createHarness({ metrics: createApiMetrics(registry) });
  });
  after(() => h?.close());

  it('answers 503 with a readable message, stores no task and starts nothing', async () => {
    h.runs.pingError = new Error('Not connected to Temporal at 127.0.0.1:1 yet (14 UNAVAILABLE)');
    const res = await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(503);
    const body = res.body as { error: { code: string; message: string }; task?: unknown };
    assert.equal(body.error.code, 'temporal_unavailable');
    assert.match(body.error.message, /workflow engine is unavailable.*no run was started/i);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(body.task, undefined);
    assert.deepEqual(await h.persistence.tasks.list(LOCAL_USER_ID, { limit: 50 }), [], 'no task row left behind');
    assert.equal(h.runs.startCalls, 0);
    const text = await registry.metrics();
    assert.doesNotMatch(text, /conceptflow_runs_started_total\{/);

    h.runs.pingError = null;
    await request(h.app).post('/api/concepts/generate').send(validGenerate).expect(202);
    assert.equal((await h.persistence.tasks.list(LOCAL_USER_ID, { limit: 50 })).length, 1);
  });
});
