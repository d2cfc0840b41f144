/** /api/concepts: start generation and refinement runs; read the user's concepts with signed URLs. */
import { Router, type RequestHandler, type Response } from 'express';
import { generateRequestSchema, refineRequestSchema } from '../../domain/inputs.js';
import type { QuotaCategory } from '../../domain/quota.js';
import type { Persistence } from '../../persistence/ports.js';
import type { QuotaService } from '../../usecases/quotas.js';
import type { ConceptReads } from '../concept-reads.js';
import { logOf, userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { resolveOriginal } from '../original-image.js';
import { rateLimitHeaders } from '../quota-http.js';
import type { TaskService } from '../task-service.js';
import { idempotencyKeyOf, listConceptsQuerySchema, listPage } from '../validation.js';

export interface ConceptRoutesDeps {
  persistence: Persistence;
  tasks: TaskService;
  quotas: QuotaService;
  concepts: ConceptReads;
}

export function createConceptsRouter(deps: ConceptRoutesDeps): Router {
  const router = Router();
  const { persistence, tasks, concepts } = deps;
  /** The user's standing in the category after a start (X-RateLimit-*). */
  const withQuotaHeaders = async (res: Response, category: QuotaCategory) => {
    res.set(rateLimitHeaders(await deps.quotas.usage(userIdOf(res), category)));
  };

  const generate: RequestHandler = async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(generateRequestSchema, req.body ?? {});
    const log = logOf(res);
    const task = await tasks.startGeneration(userIdOf(res), request, idempotencyKey, log);
    await withQuotaHeaders(res, 'generate');
    res.status(202).location(`/api/tasks/${task.id}`).json(await tasks.view(task, log));
  };
  router.post('/generate', generate);
  router.post('/generate-with-palettes', generate);

  router.post('/refine', async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(refineRequestSchema, req.body ?? {});
    const userId = userIdOf(res);
    const log = logOf(res);
    const original = await resolveOriginal(persistence, userId, request);
    const task = await tasks.startRefinement(userId, request, original, idempotencyKey, log);
    await withQuotaHeaders(res, 'refine');
    res.status(202).location(`/api/tasks/${task.id}`).json(await tasks.view(task, log));
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(listConceptsQuerySchema, req.query, 'query');
    const page = await listPage('/api/concepts', query, (limit) => concepts.list(userIdOf(res), limit, query.before));
    res.json({ concepts: page.items, next: page.next });
  });

  router.get('/:id', async (req, res) => {
    res.json(await concepts.get(userIdOf(res), req.params.id));
  });

  return router;
}
