/**
 * The API's one error handler: every failure becomes `{ error: { code, message, fields? }, message }`
 * with the HTTP status that fits (the top-level `message` repeats error.message: it is what the
 * original frontend shows). Domain errors (src/domain/errors.ts) map by type, with the message a
 * user may read (publicMessageOf: no database or provider text); `HttpError` carries API-only
 * outcomes (401, 403, 409 with the active task, 415, 429, 503); any other error carrying a 4xx
 * `status` (body-parser, the router's path decoding, zlib) answers that 4xx; anything else is a
 * logged 500 with a generic message.
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { ErrorType, InvalidInputError, isConceptflowError, publicMessageOf, type ErrorTypeName, type FieldError } from '../domain/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[]; [extra: string]: unknown };
  [extra: string]: unknown;
}

/** An outcome the API answers with a specific status, code and optional extra body or headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { headers?: Record<string, string>; details?: Record<string, unknown>; body?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const DOMAIN_STATUS: Record<ErrorTypeName, { status: number; code: string }> = {
  [ErrorType.InvalidInput]: { status: 400, code: 'invalid_request' },
  [ErrorType.InvalidImage]: { status: 400, code: 'invalid_image' },
  [ErrorType.InvalidPalette]: { status: 400, code: 'invalid_palette' },
  [ErrorType.NotFound]: { status: 404, code: 'not_found' },
  [ErrorType.Conflict]: { status: 409, code: 'conflict' },
  [ErrorType.TaskNotClaimable]: { status: 409, code: 'task_not_claimable' },
  [ErrorType.ProviderAuth]: { status: 502, code: 'provider_auth' },
  [ErrorType.ProviderRejected]: { status: 422, code: 'provider_rejected' },
  [ErrorType.ProviderUnavailable]: { status: 503, code: 'provider_unavailable' },
  [ErrorType.ProviderBadOutput]: { status: 502, code: 'provider_bad_output' },
  [ErrorType.Storage]: { status: 503, code: 'storage_unavailable' },
  [ErrorType.NoVariations]: { status: 502, code: 'no_variations' },
};

/** `a.b.0` for zod paths; the body itself is `body`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'body' : path.map(String).join('.');
}

/**
 * Field errors from a zod error: unknown keys become one error per key, named by the key; one
 * error per field (the first, e.g. "must be a string" rather than a length check after it).
 */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const all = error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), message: `${key} is not a known field` }));
    }
    return [{ field: fieldName(issue.path), message: issue.message }];
  });
  return all.filter((f, i) => all.findIndex((g) => g.field === f.field) === i);
}

/** Parses with a zod schema; failures become an InvalidInputError with field errors. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = zodFieldErrors(parsed.error);
  throw new InvalidInputError(`Invalid ${what}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
}

/** body-parser signals its failures with `type` and `status`. */
interface BodyParserError {
  type: string;
  status: number;
}
const isBodyParserError = (err: unknown): err is BodyParserError =>
  typeof err === 'object' && err !== null && typeof (err as BodyParserError).type === 'string' && typeof (err as BodyParserError).status === 'number';

function bodyParserResponse(err: BodyParserError): { status: number; body: ErrorBody } | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return { status: 400, body: { error: { code: 'malformed_json', message: 'The request body is not valid JSON (an object is expected)' } } };
    case 'entity.too.large':
      return { status: 413, body: { error: { code: 'body_too_large', message: 'The request body is too large' } } };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'Unsupported body charset or encoding' } } };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, body: { error: { code: 'bad_request', message: 'The request body could not be read' } } };
    default:
      return null;
  }
}

/** `err.status` or `err.statusCode` when it is a client-error status (400–499). */
function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 499 ? value : null;
}

/** Any other error that says it is the client's fault (http-errors, the router, zlib via body-parser). */
function clientErrorResponse(err: unknown, status: number): { status: number; body: ErrorBody } {
  if (err instanceof URIError) {
    return { status, body: { error: { code: 'malformed_path', message: 'The request path is not valid percent-encoding' } } };
  }
  // zlib's inflate errors are Z_*, its brotli errors ERR__* (e.g. ERR__ERROR_FORMAT_PADDING_1).
  const zlibCode = (err as { code?: unknown }).code;
  if (typeof zlibCode === 'string' && /^(Z_|ERR__)/.test(zlibCode)) {
    return { status, body: { error: { code: 'malformed_body', message: 'The request body could not be decompressed (corrupt Content-Encoding)' } } };
  }
  const code = (STATUS_CODES[status] ?? 'bad request').toLowerCase().replace(/[^a-z]+/g, '_');
  return { status, body: { error: { code, message: `The request was refused: ${STATUS_CODES[status] ?? 'client error'}` } } };
}

/** Maps any thrown value to a status and body; null for unexpected errors (500). */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } | null {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: { ...err.options.body, error: { ...err.options.details, code: err.code, message: err.message } },
      headers: err.options.headers,
    };
  }
  if (err instanceof z.ZodError) {
    const fields = zodFieldErrors(err);
    return { status: 400, body: { error: { code: 'invalid_request', message: 'Invalid request', fields } } };
  }
  if (err instanceof InvalidInputError) {
    return { status: 400, body: { error: { code: 'invalid_request', message: err.message, fields: err.fields } } };
  }
  if (isConceptflowError(err)) {
    const mapped = DOMAIN_STATUS[err.type];
    return { status: mapped.status, body: { error: { code: mapped.code, message: publicMessageOf(err) } } };
  }
  const bodyParser = isBodyParserError(err) ? bodyParserResponse(err) : null;
  if (bodyParser) return bodyParser;
  const clientStatus = clientErrorStatus(err);
  return clientStatus === null ? null : clientErrorResponse(err, clientStatus);
}

/** The body as sent: the top-level `message` is always error.message. */
const withMessage = (body: ErrorBody): ErrorBody => ({ ...body, message: body.error.message });

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    // A streaming response failed half-way: nothing useful can be sent any more.
    res.locals.log?.error({ err }, 'error after the response started');
    next(err);
    return;
  }
  const mapped = toErrorResponse(err);
  if (mapped) {
    if (mapped.status >= 500) res.locals.log?.warn({ err, status: mapped.status }, 'request failed');
    // Client errors from below the routes (malformed paths, bodies, encodings): worth a line, not an alarm.
    else if (isConceptflowError(err) ? err.detail !== undefined : !(err instanceof HttpError)) res.locals.log?.info({ err, status: mapped.status }, 'request refused');
    if (mapped.headers) res.set(mapped.headers);
    res.status(mapped.status).json(withMessage(mapped.body));
    return;
  }
  res.locals.log?.error({ err }, 'unexpected error');
  res.status(500).json(
    withMessage({ error: { code: 'internal_error', message: 'Something went wrong on our side', request_id: res.locals.requestId } }),
  );
};

/** Unknown routes (under /api and elsewhere) answer JSON, not Express's HTML page. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(withMessage({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } }));
};
