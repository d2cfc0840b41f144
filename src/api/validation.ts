/** Edge validation shared by the routes: ids, list queries, the Idempotency-Key header, JSON-only bodies. */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import { TASK_STATUSES, TASK_TYPES } from '../domain/task.js';
import { HttpError } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 50;

const limitParam = z
  .string({ error: 'limit must be a single whole number' })
  .regex(/^\d+$/, 'limit must be a whole number')
  .transform(Number)
  .pipe(z.number().min(1, 'limit must be at least 1').max(MAX_LIST_LIMIT, `limit must be at most ${MAX_LIST_LIMIT}`))
  .default(DEFAULT_LIST_LIMIT);

export const listTasksQuerySchema = z.object({
  status: z.enum(TASK_STATUSES, { error: `status must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
  type: z.enum(TASK_TYPES, { error: `type must be one of ${TASK_TYPES.join(', ')}` }).optional(),
  limit: limitParam,
});

export const listConceptsQuerySchema = z.object({ limit: limitParam });

const PRINTABLE_KEY = /^[\x20-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent → null; present → 1–255 printable ASCII characters, else 400. */
export function idempotencyKeyOf(req: Request): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !PRINTABLE_KEY.test(raw)) {
    throw new InvalidInputError('Idempotency-Key must be 1 to 255 printable ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return raw;
}

/** Bodies must be JSON: a POST with a body of another type is refused (415) before parsing. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = req.headers['transfer-encoding'] !== undefined || length > 0;
  if (hasBody && !req.is('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json');
  }
  next();
};
