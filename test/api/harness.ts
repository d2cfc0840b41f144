/**
 * The API under test: the real app on the real embedded persistence (PGlite in memory + object
 * store), Temporal replaced by the in-memory FakeConceptRuns. Helpers seed concepts and tasks.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { createApp, type AppDeps } from '../../src/api/app.js';
import { createAuthenticator } from '../../src/api/auth.js';
import { createFilesRouter } from '../../src/api/routes/files.js';
import { DEFAULT_CORS_ORIGINS } from '../../src/config.js';
import { BUCKETS, objectPaths, type ConceptWithVariations, type ObjectRef } from '../../src/domain/concept.js';
import type { QuotaLimits } from '../../src/domain/quota.js';
import { workflowIdFor, type TaskRecord, type TaskType } from '../../src/domain/task.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createEmbeddedPersistence, type EmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { FakeConceptRuns } from '../support/fake-runs.js';
import { claimsFor, hs256Token } from './tokens.js';

export const PUBLIC_BASE_URL = 'https://concepts.example.test';
export const JWT_SECRET = 'api-test-jwt-secret-with-at-least-32-characters';

export interface Harness {
  app: ReturnType<typeof createApp>;
  persistence: Persistence;
  runs: FakeConceptRuns;
  /** Added to Date.now() for the app's clock (stale-task checks, quota windows). */
  clock: { offsetMs: number };
  close(): Promise<void>;
}

export interface HarnessOptions {
  withAuth?: boolean;
  /** Default: 1000 per hour in every category (counted, but out of the way). */
  quotas?: QuotaLimits;
  corsOrigins?: string[];
  /** An existing embedded persistence (e.g. to restart the app on the same database); closed by the caller. */
  persistence?: EmbeddedPersistence;
  sse?: AppDeps['sse'];
  readyCheckTimeoutMs?: number;
  /** Default: silent (or LOG_LEVEL). */
  logger?: Logger;
  metrics?: AppDeps['metrics'];
  web?: AppDeps['web'];
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const persistence =
    options.persistence ?? (await createEmbeddedPersistence({ dataDir: ':memory:', publicBaseUrl: PUBLIC_BASE_URL, signingSecret: 'api-test-signing' }));
  const runs = new FakeConceptRuns(persistence.tasks);
  const clock = { offsetMs: 0 };
  const app = createApp({
    persistence,
    runs,
    logger: options.logger ?? createLogger(process.env.LOG_LEVEL ?? 'silent'),
    auth: createAuthenticator(options.withAuth ? { jwtSecret: JWT_SECRET } : {}),
    filesRouter: createFilesRouter(persistence.objects, persistence.signer),
    signedUrlTtlSeconds: 600,
    quotas: options.quotas ?? GENEROUS_QUOTAS,
    corsOrigins: options.corsOrigins ?? DEFAULT_CORS_ORIGINS,
    sse: options.sse ?? { pollIntervalMs: 5, heartbeatMs: 60_000 },
    now: () => Date.now() + clock.offsetMs,
    readyCheckTimeoutMs: options.readyCheckTimeoutMs,
    metrics: options.metrics,
    web: options.web,
  });
  return { app, persistence, runs, clock, close: () => (options.persistence ? Promise.resolve() : persistence.close()) };
}

const hourly = (limit: number) => [{ period: 'hour' as const, limit }];
export const GENEROUS_QUOTAS: QuotaLimits = { generate: hourly(1000), refine: hourly(1000), export: hourly(1000) };

export const tokenFor = (userId: string) => hs256Token(JWT_SECRET, claimsFor(userId));
export const authAs = (userId: string) => ({ Authorization: `Bearer ${tokenFor(userId)}` });

export const validGenerate = { logo_description: 'A fox made of circles', theme_description: 'warm autumn forest', num_palettes: 3 };

export async function pngBytes(color = '#336699'): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: color } }).png().toBuffer();
}

/** A task row as the API would create it (no workflow started). */
export async function seedTask(persistence: Persistence, userId: string, type: TaskType = 'generation'): Promise<TaskRecord> {
  const id = randomUUID();
  const created = await persistence.tasks.create({ id, user_id: userId, type, workflow_id: workflowIdFor(type, id), metadata: {}, idempotency_key: null });
  if (created.outcome !== 'created') throw new Error(`seedTask: ${created.outcome}`);
  return created.task;
}

/** A finished generation: completed task, stored base image and variations, concept row. */
export async function seedConcept(persistence: Persistence, userId: string, variations = 2): Promise<{ concept: ConceptWithVariations; image: ObjectRef }> {
  const task = await seedTask(persistence, userId);
  const image: ObjectRef = { bucket: BUCKETS.concepts, path: objectPaths.baseImage(userId, task.id) };
  await persistence.objects.put(image, await pngBytes(), 'image/png');
  const stored = [];
  for (let position = 0; position < variations; position++) {
    const path = objectPaths.variation(userId, task.id, position);
    await persistence.objects.put({ bucket: BUCKETS.palettes, path }, await pngBytes('#aa3300'), 'image/png');
    stored.push({ name: `Palette ${position + 1}`, colors: ['#112233', '#445566', '#778899', '#aabbcc', '#ddeeff'], description: `variation ${position}`, image_path: path, position });
  }
  await persistence.tasks.claim(task.id, task.workflow_id!);
  const concept = await persistence.concepts.store({
    user_id: userId,
    task_id: task.id,
    logo_description: 'A stored fox logo',
    theme_description: 'stored autumn theme',
    image_path: image.path,
    variations: stored,
  });
  await persistence.tasks.complete(task.id, concept.id);
  return { concept, image };
}
