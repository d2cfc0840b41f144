/**
 * POST /api/export/process: one of the user's stored images as PNG, JPEG or SVG at a named size,
 * answered as a download (Content-Disposition: attachment) with the export quota's X-RateLimit-*.
 */
import { Router } from 'express';
import { exportRequestSchema } from '../../domain/export.js';
import type { ExportService } from '../../usecases/export-image.js';
import { userIdOf } from '../context.js';
import { parseOrThrow } from '../errors.js';
import { quotaExceeded, rateLimitHeaders } from '../quota-http.js';

export function createExportRouter(deps: { exports: ExportService; now: () => number }): Router {
  const router = Router();

  router.post('/process', async (req, res) => {
    const request = parseOrThrow(exportRequestSchema, req.body ?? {});
    const outcome = await deps.exports.export(userIdOf(res), request);
    if (outcome.kind === 'quota_exceeded') throw quotaExceeded('export', outcome.decision, deps.now());
    res.set(rateLimitHeaders(outcome.quota));
    res.attachment(outcome.filename);
    res.type(outcome.contentType);
    res.setHeader('Content-Length', String(outcome.bytes.length));
    res.end(outcome.bytes);
  });

  return router;
}
