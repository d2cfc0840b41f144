/**
 * The Express app (no listen: see server.ts). Order: request id + logger, security headers, CORS
 * (preflights answered here, before auth), the loopback Host/Origin guard when no auth is
 * configured, the embedded files router (signed URLs are their own auth), health/readiness (no
 * auth), then /api behind auth, UTF-8 JSON-only bodies up to 16 kB, the routes, the web page
 * (web.ts), a JSON 404 and the one error handler. Task event streams share one poll per task
 * (shared-poll.ts) and are capped per user and in total (sse.ts).
 */
import express from 'express';
import { isTerminalStatus } from '../domain/task.js';
import type { QuotaLimits } from '../domain/quota.js';
import type { Logger } from '../logger.js';
import { noteErrorCode, observeHttp } from '../observability/http.js';
import { unexportedApiMetrics, type ApiMetrics } from '../observability/metrics.js';
import { countRunStarts } from '../observability/run-starts.js';
import type { Persistence } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import { TaskCanceler } from '../usecases/cancel-task.js';
import { ExportService } from '../usecases/export-image.js';
import { QuotaService } from '../usecases/quotas.js';
import { TaskReads } from '../usecases/read-tasks.js';
import { RunStarter } from '../usecases/start-run.js';
import { requireUser, type Authenticator } from './auth.js';
import { createConceptReads } from './concept-reads.js';
import { requestContext, securityHeaders } from './context.js';
import { requireLoopbackHost } from './loopback-guard.js';
import { corsForOrigins } from './cors.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { createConceptsRouter } from './routes/concepts.js';
import { createExportRouter } from './routes/export.js';
import { createHealthRouter } from './routes/health.js';
import { createRateLimitsRouter } from './routes/rate-limits.js';
import { createStorageRouter } from './routes/storage.js';
import { createTasksRouter } from './routes/tasks.js';
import type { TaskView } from './presenters.js';
import { SharedPoller } from './shared-poll.js';
import { DEFAULT_STREAM_LIMITS, eventStreamsOf, type StreamLimits } from './sse.js';
import { requireJsonBody } from './validation.js';
import { createWebRouter, type WebOptions } from './web.js';

export interface AppDeps {
  persistence: Persistence;
  runs: ConceptRuns;
  logger: Logger;
  auth: Authenticator;
  /** Embedded mode: mounted at the root (serves the signed object URLs, /storage/v1/object/sign/...). */
  filesRouter?: express.Router;
  signedUrlTtlSeconds: number;
  /** Event streams: poll interval, heartbeat, and the caps and lifetime of StreamLimits. */
  sse?: Partial<SseSettings>;
  /** Per-user quotas per category; counted in the database. */
  quotas: QuotaLimits;
  /** Origins whose browser pages may call the API. */
  corsOrigins: readonly string[];
  /** Milliseconds since the epoch; injectable so tests can age tasks and windows. */
  now?: () => number;
  /** Per-dependency timeout of /api/ready (default 2 s). */
  readyCheckTimeoutMs?: number;
  /** Prometheus instruments (observability/metrics.ts); unexported ones when absent. */
  metrics?: ApiMetrics;
  /** The web page at / (web.ts); absent in API-only tests. */
  web?: WebOptions;
}

export const JSON_BODY_LIMIT = '16kb';
export interface SseSettings extends StreamLimits {
  pollIntervalMs: number;
  heartbeatMs: number;
}
const streamLimitsOf = ({ perUser, total, maxLifetimeMs, retryMs }: SseSettings): StreamLimits => ({ perUser, total, maxLifetimeMs, retryMs });
export const DEFAULT_SSE: SseSettings = { pollIntervalMs: 500, heartbeatMs: 15_000, ...DEFAULT_STREAM_LIMITS };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const now = deps.now ?? Date.now;
  const sse = { ...DEFAULT_SSE, ...deps.sse };
  const metrics = deps.metrics ?? unexportedApiMetrics();
  const runs = countRunStarts(deps.runs, metrics);
  metrics.trackEventStreams(eventStreamsOf(app, sse));
  const quotas = new QuotaService(deps.persistence.quotas, deps.quotas, now);
  // Live progress is reused for as long as an event stream waits between polls.
  const reads = new TaskReads(deps.persistence.tasks, runs, { progressFreshMs: sse.pollIntervalMs, now });
  const starter = new RunStarter({ persistence: deps.persistence, runs, quotas, reads, now });
  const concepts = createConceptReads(deps.persistence, deps.signedUrlTtlSeconds);

  app.use(observeHttp(metrics));
  app.use(requestContext(deps.logger));
  app.use(securityHeaders);
  app.use(corsForOrigins(deps.corsOrigins));
  if (!deps.auth.configured) app.use(requireLoopbackHost(deps.corsOrigins));
  if (deps.filesRouter) app.use(deps.filesRouter);

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(createHealthRouter({ persistence: deps.persistence, runs: deps.runs, checkTimeoutMs: deps.readyCheckTimeoutMs }));
  api.use(requireUser(deps.auth));
  api.use(requireJsonBody);
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use('/concepts', createConceptsRouter({ starter, concepts, now }));
  api.use('/storage', createStorageRouter(concepts));
  api.use('/export', createExportRouter({ exports: new ExportService(deps.persistence, quotas), now }));
  api.use('/health', createRateLimitsRouter({ quotas, authenticated: deps.auth.configured, now }));
  const poller = new SharedPoller<TaskView>({
    intervalMs: sse.pollIntervalMs,
    isFinal: (view) => isTerminalStatus(view.status),
    // Keys are `{user_id}/{task_id}` (user ids have no slash: see auth.ts).
    onLoadError: (key, err) => deps.logger.warn({ err, task_id: key.split('/')[1], user_id: key.split('/')[0] }, 'event stream could not load the task'),
  });
  api.use('/tasks', createTasksRouter({ reads, canceler: new TaskCanceler(deps.persistence.tasks, runs, reads), sse: { heartbeatMs: sse.heartbeatMs, registry: eventStreamsOf(app, streamLimitsOf(sse)), poller } }));
  app.use('/api', api);
  if (deps.web) app.use(createWebRouter(deps.web));

  app.use(notFoundHandler);
  app.use(noteErrorCode);
  app.use(errorHandler);
  return app;
}
