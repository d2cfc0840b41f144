/** /api/concepts: start generation and refinement runs; read the user's concepts with signed URLs. */
import { Router, type RequestHandler } from 'express';
import { NotFoundError } from '../../domain/errors.js';
import { generateRequestSchema, refineRequestSchema } from '../../domain/inputs.js';
import type { Persistence } from '../../persistence/ports.js';
import { logOf, userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { resolveOriginal } from '../original-image.js';
import { presentConcept, type SignUrl } from '../presenters.js';
import type { TaskService } from '../task-service.js';
import { idempotencyKeyOf, isUuid, listConceptsQuerySchema, listPage } from '../validation.js';

export interface ConceptRoutesDeps {
  persistence: Persistence;
  tasks: TaskService;
  /** Applied to the routes that start runs (rate limit). */
  startGuard: RequestHandler;
  signedUrlTtlSeconds: number;
}

export function createConceptsRouter(deps: ConceptRoutesDeps): Router {
  const router = Router();
  const { persistence, tasks } = deps;
  const sign: SignUrl = (ref) => persistence.objects.signedUrl(ref, deps.signedUrlTtlSeconds);

  const generate: RequestHandler = async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(generateRequestSchema, req.body ?? {});
    const log = logOf(res);
    const task = await tasks.startGeneration(userIdOf(res), request, idempotencyKey, log);
    res.status(202).location(`/api/tasks/${task.id}`).json(await tasks.view(task, log));
  };
  router.post('/generate', deps.startGuard, generate);
  router.post('/generate-with-palettes', deps.startGuard, generate);

  router.post('/refine', deps.startGuard, async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(refineRequestSchema, req.body ?? {});
    const userId = userIdOf(res);
    const log = logOf(res);
    const original = await resolveOriginal(persistence, userId, request);
    const task = await tasks.startRefinement(userId, request, original, idempotencyKey, log);
    res.status(202).location(`/api/tasks/${task.id}`).json(await tasks.view(task, log));
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(listConceptsQuerySchema, req.query, 'query');
    const page = await listPage('/api/concepts', query, (limit) => persistence.concepts.list(userIdOf(res), limit, query.before));
    res.json({ concepts: await Promise.all(page.items.map((c) => presentConcept(c, sign))), next: page.next });
  });

  router.get('/:id', async (req, res) => {
    const id = req.params.id;
    const concept = isUuid(id) ? await persistence.concepts.get(id, userIdOf(res)) : null;
    if (!concept) throw new NotFoundError('Concept not found');
    res.json(await presentConcept(concept, sign));
  });

  return router;
}
