/**
 * The Express app (no listen: see server.ts). Order: request id + logger, security headers, CORS
 * (preflights answered here, before auth), the embedded files router (signed URLs are their own
 * auth), health/readiness (no auth), then /api behind auth, JSON-only bodies up to 16 kB, the
 * routes, a JSON 404 and the one error handler.
 */
import express from 'express';
import type { QuotaLimits } from '../domain/quota.js';
import type { Logger } from '../logger.js';
import type { Persistence } from '../persistence/ports.js';
import type { ConceptRuns } from '../temporal/runs.js';
import { ExportService } from '../usecases/export-image.js';
import { QuotaService } from '../usecases/quotas.js';
import { requireUser, type Authenticator } from './auth.js';
import { createConceptReads } from './concept-reads.js';
import { requestContext, securityHeaders } from './context.js';
import { corsForOrigins } from './cors.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { createConceptsRouter } from './routes/concepts.js';
import { createExportRouter } from './routes/export.js';
import { createHealthRouter } from './routes/health.js';
import { createRateLimitsRouter } from './routes/rate-limits.js';
import { createStorageRouter } from './routes/storage.js';
import { createTasksRouter } from './routes/tasks.js';
import { eventStreamsOf } from './sse.js';
import { TaskService } from './task-service.js';
import { requireJsonBody } from './validation.js';

export interface AppDeps {
  persistence: Persistence;
  runs: ConceptRuns;
  logger: Logger;
  auth: Authenticator;
  /** Embedded mode: mounted at the root (serves the signed object URLs, /storage/v1/object/sign/...). */
  filesRouter?: express.Router;
  signedUrlTtlSeconds: number;
  /** Per-user quotas per category; counted in the database. */
  quotas: QuotaLimits;
  /** Origins whose browser pages may call the API. */
  corsOrigins: readonly string[];
  sse?: { pollIntervalMs: number; heartbeatMs: number };
  /** Milliseconds since the epoch; injectable so tests can age tasks and windows. */
  now?: () => number;
  /** Per-dependency timeout of /api/ready (default 2 s). */
  readyCheckTimeoutMs?: number;
}

export const JSON_BODY_LIMIT = '16kb';
export const DEFAULT_SSE = { pollIntervalMs: 500, heartbeatMs: 15_000 };

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const now = deps.now ?? Date.now;
  const quotas = new QuotaService(deps.persistence.quotas, deps.quotas, now);
  const tasks = new TaskService({ persistence: deps.persistence, runs: deps.runs, quotas, now });
  const concepts = createConceptReads(deps.persistence, deps.signedUrlTtlSeconds);

  app.use(requestContext(deps.logger));
  app.use(securityHeaders);
  app.use(corsForOrigins(deps.corsOrigins));
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
  api.use('/concepts', createConceptsRouter({ persistence: deps.persistence, tasks, quotas, concepts }));
  api.use('/storage', createStorageRouter(concepts));
  api.use('/export', createExportRouter({ exports: new ExportService(deps.persistence, quotas), now }));
  api.use('/health', createRateLimitsRouter({ quotas, authenticated: deps.auth.configured, now }));
  api.use(
    '/tasks',
    createTasksRouter({ persistence: deps.persistence, tasks, sse: { ...DEFAULT_SSE, ...deps.sse, registry: eventStreamsOf(app) } }),
  );
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
