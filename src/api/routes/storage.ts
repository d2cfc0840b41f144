/**
 * /api/storage: the original frontend's names for reading concepts. `GET /recent` answers a bare
 * array (default 10, like the original; `limit` 1–50), `GET /concept/:id` one concept or 404.
 */
import { Router } from 'express';
import type { ConceptReads } from '../concept-reads.js';
import { userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { listConceptsQuerySchema } from '../validation.js';

export const RECENT_DEFAULT_LIMIT = 10;

export function createStorageRouter(concepts: ConceptReads): Router {
  const router = Router();

  router.get('/recent', async (req, res) => {
    const { limit } = parseOrThrow(listConceptsQuerySchema, { limit: String(RECENT_DEFAULT_LIMIT), ...req.query }, 'query');
    res.json(await concepts.list(userIdOf(res), limit));
  });

  router.get('/concept/:id', async (req, res) => {
    res.json(await concepts.get(userIdOf(res), req.params.id));
  });

  return router;
}
