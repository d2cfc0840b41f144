/** /api/concepts: start generation and refinement runs; read the user's concepts with signed URLs. */
import { Router, type RequestHandler, type Response } from 'express';
import { generateRequestSchema, refineRequestSchema } from '../../domain/inputs.js';
import type { RunStarter, StartOutcome } from '../../usecases/start-run.js';
import type { ConceptReads } from '../concept-reads.js';
import { logOf, userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { presentSnapshot } from '../presenters.js';
import { rateLimitHeaders } from '../quota-http.js';
import { startRefused } from '../task-outcomes.js';
import { idempotencyKeyOf, listConceptsQuerySchema, listPage } from '../validation.js';

export interface ConceptRoutesDeps {
  starter: RunStarter;
  concepts: ConceptReads;
  now: () => number;
}

export function createConceptsRouter(deps: ConceptRoutesDeps): Router {
  const router = Router();
  const { starter, concepts } = deps;

  /** 202 with the task, its Location and the user's quota standing (X-RateLimit-*); refusals via task-outcomes.ts. */
  const answerStart = (res: Response, outcome: StartOutcome) => {
    if (outcome.kind !== 'created' && outcome.kind !== 'replayed') throw startRefused(outcome, deps.now());
    res.set(rateLimitHeaders(outcome.quota));
    res.status(202).location(`/api/tasks/${outcome.task.task.id}`).json(presentSnapshot(outcome.task));
  };

  const generate: RequestHandler = async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(generateRequestSchema, req.body ?? {});
    answerStart(res, await starter.startGeneration(userIdOf(res), request, idempotencyKey, logOf(res)));
  };
  router.post('/generate', generate);
  router.post('/generate-with-palettes', generate);

  router.post('/refine', async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const request = parseOrThrow(refineRequestSchema, req.body ?? {});
    answerStart(res, await starter.startRefinement(userIdOf(res), request, idempotencyKey, logOf(res)));
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
