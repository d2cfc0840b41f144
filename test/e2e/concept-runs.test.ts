/**
 * End to end: the real worker and the real API (over HTTP on loopback) against the Temporal test
 * environment and the embedded backend on disk. POST a generation, follow its SSE stream to
 * `done`, check the stored concept and fetch its files; then refine it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import sharp from 'sharp';
import { createActivities } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import { createAuthenticator } from '../../src/api/auth.js';
import { createFilesRouter } from '../../src/api/routes/files.js';
import { listen } from '../../src/api/server.js';
import { createLogger } from '../../src/logger.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import { TemporalConceptRuns } from '../../src/temporal/temporal-runs.js';
import { freePort } from '../support/ports.js';
import { readSseUntilDone } from '../support/sse-client.js';
import { temporalTier, workflowBundle } from '../support/temporal-env.js';

const tier = await temporalTier('end-to-end tests');

interface TaskBody {
  task_id: string;
  status: string;
  result_id: string | null;
  links: { self: string; events: string; result: string | null };
  progress: { step: string; percent: number };
}
interface ConceptBody {
  id: string;
  task_id: string;
  image_url: string;
  original_concept_id: string | null;
  refinement_prompt: string | null;
  color_variations: { palette_name: string; colors: string[]; image_url: string }[];
}

describe('end to end: API → Temporal → worker → storage', { skip: tier.skip }, () => {
  const env = tier.env!;
  const logger = createLogger('silent');
  let dataDir: string;
  let persistence: Persistence;
  let baseUrl: string;
  let stop: () => Promise<void>;
  let workerDone: Promise<void>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cf-e2e-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const embedded = await createEmbeddedPersistence({ dataDir, publicBaseUrl: baseUrl, signingSecret: 'e2e-secret' });
    persistence = embedded;
    const taskQueue = `e2e-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ persistence, imageProvider: createLocalImageProvider(), paletteProvider: createLocalPaletteProvider(), logger }),
    });
    workerDone = worker.run();
    const app = createApp({
      persistence,
      runs: new TemporalConceptRuns(env.client, taskQueue),
      logger,
      auth: createAuthenticator({}),
      filesRouter: createFilesRouter(embedded.objects, embedded.signer),
      signedUrlTtlSeconds: 600,
      rateLimitPerMinute: 0,
      sse: { pollIntervalMs: 100, heartbeatMs: 5_000 },
    });
    const server = await listen(app, { host: '127.0.0.1', port, logger });
    stop = async () => {
      await server.close();
      worker.shutdown();
      await workerDone;
    };
  });

  after(async () => {
    await stop?.();
    await persistence?.close();
    await env?.teardown();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(path: string, body: unknown): Promise<{ status: number; body: TaskBody }> {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as TaskBody };
  }

  async function followToDone(task: TaskBody): Promise<TaskBody> {
    const events = await readSseUntilDone(`${baseUrl}${task.links.events}`, { timeoutMs: 60_000 });
    assert.ok(events.some((e) => e.event === 'progress'), 'progress events before done');
    const done = JSON.parse(events.at(-1)!.data) as TaskBody;
    assert.equal(done.task_id, task.task_id);
    return done;
  }

  async function getConcept(id: string): Promise<ConceptBody> {
    const response = await fetch(`${baseUrl}/api/concepts/${id}`);
    assert.equal(response.status, 200);
    return (await response.json()) as ConceptBody;
  }

  async function assertServesPng(url: string): Promise<Buffer> {
    const response = await fetch(url);
    assert.equal(response.status, 200, url);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal((await sharp(bytes).metadata()).format, 'png');
    return bytes;
  }

  let generated: ConceptBody;

  it('generates a concept with 7 served variations, following SSE to done', async () => {
    const started = await post('/api/concepts/generate', {
      logo_description: 'Summit Coffee roasters, a mountain peak',
      theme_description: 'warm sunrise, earthy and friendly',
    });
    assert.equal(started.status, 202);
    assert.equal(started.body.links.self, `/api/tasks/${started.body.task_id}`);

    const done = await followToDone(started.body);
    assert.equal(done.status, 'completed');
    assert.ok(done.result_id);

    generated = await getConcept(done.result_id);
    assert.equal(generated.task_id, started.body.task_id);
    assert.equal(generated.color_variations.length, 7);
    const base = await assertServesPng(generated.image_url);
    const variations = await Promise.all(generated.color_variations.map((v) => assertServesPng(v.image_url)));
    assert.ok(variations.every((v) => !v.equals(base)), 'variations are recoloured');
  });

  it('refines the generated concept and records its provenance', async () => {
    assert.ok(generated, 'needs the generated concept');
    const started = await post('/api/concepts/refine', {
      original_concept_id: generated.id,
      refinement_prompt: 'make it darker and bolder',
      num_palettes: 3,
    });
    assert.equal(started.status, 202);
    const done = await followToDone(started.body);
    assert.equal(done.status, 'completed');
    const refined = await getConcept(done.result_id!);
    assert.equal(refined.original_concept_id, generated.id);
    assert.equal(refined.refinement_prompt, 'make it darker and bolder');
    assert.equal(refined.color_variations.length, 3);
    await assertServesPng(refined.image_url);
  });

  it('refines from a signed URL of its own storage', async () => {
    const started = await post('/api/concepts/refine', {
      original_image_url: generated.image_url,
      refinement_prompt: 'simpler, fewer colours',
      num_palettes: 2,
    });
    assert.equal(started.status, 202);
    const done = await followToDone(started.body);
    assert.equal(done.status, 'completed');
  });
});
