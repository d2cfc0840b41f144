/**
 * GET /api/health/rate-limits-status (and /rate-limits, the original's counting twin; neither
 * counts here): the user's quota standing in the original frontend's shape. Behind auth: the
 * counts are per user.
 */
import { Router } from 'express';
import type { QuotaService } from '../../usecases/quotas.js';
import { userIdOf } from '../context.js';
import { presentRateLimits } from '../quota-http.js';

export function createRateLimitsRouter(deps: { quotas: QuotaService; authenticated: boolean; now: () => number }): Router {
  const router = Router();
  router.get(['/rate-limits-status', '/rate-limits'], async (_req, res) => {
    const userId = userIdOf(res);
    res.json(presentRateLimits(userId, deps.authenticated, await deps.quotas.all(userId), deps.now()));
  });
  return router;
}
