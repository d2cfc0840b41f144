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

/** The page cursor: the id of the last item of the previous page (its `next` link carries it). */
const beforeParam = z.string({ error: 'before must be a single id' }).regex(UUID, 'before must be an id from a previous page').optional();

export const listTasksQuerySchema = z.object({
  status: z.enum(TASK_STATUSES, { error: `status must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
  type: z.enum(TASK_TYPES, { error: `type must be one of ${TASK_TYPES.join(', ')}` }).optional(),
  limit: limitParam,
  before: beforeParam,
});

export const listConceptsQuerySchema = z.object({ limit: limitParam, before: beforeParam });

/**
 * One page of a newest-first listing: `fetch` is asked for one item more than `limit`, so `next`
 * (the same query with `before` = the page's last id) is null exactly when nothing follows.
 */
export async function listPage<T extends { id: string }>(
  path: string,
  query: Record<string, string | number | undefined>,
  fetch: (limit: number) => Promise<T[]>,
): Promise<{ items: T[]; next: string | null }> {
  const limit = Number(query.limit);
  const rows = await fetch(limit + 1);
  const items = rows.slice(0, limit);
  if (rows.length <= limit) return { items, next: null };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, before: items.at(-1)!.id })) if (value !== undefined) params.set(key, String(value));
  return { items, next: `${path}?${params.toString()}` };
}

const PRINTABLE_KEY = /^[\x20-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: absent → null; sent once with 1–255 printable ASCII characters, else 400. */
export function idempotencyKeyOf(req: Request): string | null {
  // Node joins repeated headers with ", " in req.headers; two keys are ambiguous, not one key.
  if ((req.headersDistinct['idempotency-key']?.length ?? 0) > 1) {
    throw new InvalidInputError('Send the Idempotency-Key header once', [{ field: 'Idempotency-Key', message: 'must be sent once' }]);
  }
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !PRINTABLE_KEY.test(raw)) {
    throw new InvalidInputError('Idempotency-Key must be 1 to 255 printable ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return raw;
}

const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message);

/** The charset parameter of a Content-Type header, lower-cased; undefined when absent. */
function charsetOf(contentType: string): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1]?.toLowerCase();
}

/**
 * Whether a body of unknown length (chunked) turns out empty. Reads until the first byte or the
 * end; a non-empty body is left to drain (discarded) so the connection can be answered and reused.
 */
function bodyIsEmpty(req: Request): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      if (chunk.length > 0) settle(() => resolve(false));
    };
    const onEnd = () => settle(() => resolve(true));
    const onError = (err: Error) => settle(() => reject(err));
    req.on('data', onData).on('end', onEnd).on('error', onError);
  }).finally(() => {
    if (!req.readableEnded) req.resume();
  }) as Promise<boolean>;
}

/**
 * Bodies must be UTF-8 JSON: a POST with a body of another type or charset is refused (415)
 * before parsing. An empty body is no body, whatever its framing: `Transfer-Encoding: chunked`
 * with no bytes (e.g. a cancel sent by a streaming client) is accepted like `Content-Length: 0`.
 */
export const requireJsonBody: RequestHandler = async (req, _res, next) => {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && req.is('application/json')) {
    const charset = charsetOf(contentType);
    if (charset !== undefined && charset !== 'utf-8') throw unsupportedMediaType('Send JSON bodies as UTF-8 (charset=utf-8)');
    return next();
  }
  const length = Number(req.headers['content-length'] ?? 0);
  const framed = req.headers['transfer-encoding'] !== undefined;
  if (!framed && !(length > 0)) return next();
  if (framed && !(length > 0) && (await bodyIsEmpty(req))) return next();
  throw unsupportedMediaType('Send the request body as application/json');
};
