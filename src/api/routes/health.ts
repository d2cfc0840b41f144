/**
 * /api/health (liveness: the process answers), /api/ready (Temporal, database and storage answer),
 * and the original frontend's /api/health/ping and /api/health/config (bucket names). No auth.
 */
import { Router } from 'express';
import { BUCKETS } from '../../domain/concept.js';
import { MAX_PALETTES } from '../../domain/palette.js';
import type { Persistence } from '../../persistence/ports.js';
import type { ConceptRuns } from '../../temporal/runs.js';
import { logOf } from '../context.js';

export const READY_CHECK_TIMEOUT_MS = 2_000;

export type CheckState = 'ok' | 'failed' | 'timeout';

async function check(probe: () => Promise<void>, timeoutMs: number): Promise<{ state: CheckState; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([probe().then(() => 'ok' as const), timeout]);
    return { state: outcome };
  } catch (error) {
    return { state: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthRouter(deps: { persistence: Persistence; runs: ConceptRuns; checkTimeoutMs?: number }): Router {
  const router = Router();
  const timeoutMs = deps.checkTimeoutMs ?? READY_CHECK_TIMEOUT_MS;

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/health/ping', (_req, res) => {
    res.json({ status: 'ok', message: 'pong' });
  });

  router.get('/health/config', (_req, res) => {
    res.json({
      storage: { concept: BUCKETS.concepts, palette: BUCKETS.palettes },
      features: { refinement: true, palette: true, export: true },
      limits: { maxPalettes: MAX_PALETTES },
    });
  });

  router.get('/ready', async (_req, res) => {
    const [temporal, database, storage] = await Promise.all([
      check(() => deps.runs.ping(), timeoutMs),
      check(() => deps.persistence.tasks.ping(), timeoutMs),
      check(() => deps.persistence.objects.ping(), timeoutMs),
    ]);
    const checks = { temporal: temporal.state, database: database.state, storage: storage.state };
    const ready = Object.values(checks).every((s) => s === 'ok');
    if (!ready) {
      const errors = Object.fromEntries(
        Object.entries({ temporal, database, storage })
          .filter(([, c]) => c.state !== 'ok')
          .map(([name, c]) => [name, c.error instanceof Error ? c.error.message : c.state]),
      );
      logOf(res).warn({ checks, errors }, 'not ready');
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });

  return router;
}
