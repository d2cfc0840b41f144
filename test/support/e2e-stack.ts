/**
 * The real service for end-to-end tests: a worker on the Temporal test environment and the API
 * over HTTP on loopback, with the providers the test chooses, on the embedded backend in a
 * temporary DATA_DIR (serving its files) or on a backend the test passes in (e.g. Supabase). Plus the client moves the tests make: POST, follow SSE to `done`, GET a concept.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import sharp from 'sharp';
import { createActivities } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import { createAuthenticator } from '../../src/api/auth.js';
import { createFilesRouter } from '../../src/api/routes/files.js';
import { listen } from '../../src/api/server.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { ApiMetrics, RunMetrics } from '../../src/observability/metrics.js';
import type { Tracing } from '../../src/observability/tracing.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import type { Persistence } from '../../src/persistence/ports.js';
import type { ImageProvider, PaletteProvider } from '../../src/providers/types.js';
import { TemporalConceptRuns } from '../../src/temporal/temporal-runs.js';
import { createConceptWorker } from '../../src/temporal/worker.js';
import { workflowsPath } from '../../src/temporal/workflow-code.js';
import { freePort } from './ports.js';
import { readSseUntilDone } from './sse-client.js';
import { quietLogger, workflowBundle } from './temporal-env.js';

export interface TaskBody {
  task_id: string;
  status: string;
  result_id: string | null;
  error_message: string | null;
  links: { self: string; events: string; result: string | null };
  progress: { step: string; percent: number };
}

export interface ConceptBody {
  id: string;
  task_id: string;
  image_url: string;
  original_concept_id: string | null;
  refinement_prompt: string | null;
  color_variations: { palette_name: string; colors: string[]; image_url: string }[];
}

export interface E2eStack {
  baseUrl: string;
  persistence: Persistence;
  post(path: string, body: unknown): Promise<{ status: number; body: TaskBody }>;
  /** Follows the task's SSE stream to `done`; the final task. */
  followToDone(task: TaskBody): Promise<TaskBody>;
  getConcept(id: string): Promise<ConceptBody>;
  /** GETs a served image, asserting 200 and PNG; its bytes. */
  fetchPng(url: string): Promise<Buffer>;
  stop(): Promise<void>;
}

export interface E2eOptions {
  image: ImageProvider;
  palette: PaletteProvider;
  /** A backend the caller opened (and closes); default: a fresh embedded one. */
  persistence?: Persistence;
  /** Observability wiring: Prometheus instruments, tracing (its plugin on the client, worker and bundle), the logger. */
  metrics?: ApiMetrics;
  runMetrics?: RunMetrics;
  tracing?: Tracing;
  logger?: Logger;
}

export async function startE2eStack(env: TestWorkflowEnvironment, options: E2eOptions): Promise<E2eStack> {
  const logger = options.logger ?? createLogger('silent');
  const plugins = options.tracing ? [options.tracing.plugin] : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'cf-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const embedded = options.persistence ? undefined : await createEmbeddedPersistence({ dataDir, publicBaseUrl: baseUrl, signingSecret: 'e2e-secret' });
  const persistence = options.persistence ?? embedded!;
  const providers = { image: options.image, palette: options.palette };
  const taskQueue = `e2e-${randomUUID()}`;
  const worker = await createConceptWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: plugins ? await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger, plugins }) : await workflowBundle(),
    plugins,
    activities: createActivities({ persistence, imageProvider: providers.image, paletteProvider: providers.palette, logger, runMetrics: options.runMetrics }),
  });
  const workerDone = worker.run();
  const app = createApp({
    persistence,
    runs: new TemporalConceptRuns(plugins ? new Client({ connection: env.connection, namespace: env.namespace, plugins }) : env.client, taskQueue),
    logger,
    auth: createAuthenticator({}),
    filesRouter: embedded ? createFilesRouter(embedded.objects, embedded.signer) : undefined,
    signedUrlTtlSeconds: 600,
    quotas: { generate: [], refine: [], export: [] },
    corsOrigins: [],
    sse: { pollIntervalMs: 100, heartbeatMs: 5_000 },
    metrics: options.metrics,
  });
  const server = await listen(app, { host: '127.0.0.1', port, logger });

  return {
    baseUrl,
    persistence,
    async post(path, body) {
      const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as TaskBody };
    },
    async followToDone(task) {
      const events = await readSseUntilDone(`${baseUrl}${task.links.events}`, { timeoutMs: 60_000 });
      assert.ok(events.some((e) => e.event === 'progress'), 'progress events before done');
      const done = JSON.parse(events.at(-1)!.data) as TaskBody;
      assert.equal(done.task_id, task.task_id);
      return done;
    },
    async getConcept(id) {
      const response = await fetch(`${baseUrl}/api/concepts/${id}`);
      assert.equal(response.status, 200);
      return (await response.json()) as ConceptBody;
    },
    async fetchPng(url) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.equal((await sharp(bytes).metadata()).format, 'png');
      return bytes;
    },
    async stop() {
      await server.close();
      worker.shutdown();
      await workerDone;
      await embedded?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
