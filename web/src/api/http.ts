/**
 * fetch for the API: same origin, JSON in and out, `Authorization: Bearer` when the session has a
 * token (one refresh and retry on 401), and every failure as an ApiError carrying the API's
 * readable message and per-field messages.
 */

export interface TokenSource {
  token(): Promise<string | null>;
  /** Gets a fresh token after a 401; false when that is impossible. */
  refresh(): Promise<boolean>;
}

let tokens: TokenSource | null = null;
export const setTokenSource = (source: TokenSource | null): void => {
  tokens = source;
};

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** Field name (`logo_description`, `body`, …) → message. */
    readonly fields: Record<string, string> = {},
    /** The whole error body, for outcomes that carry more (409 `task`). */
    readonly body: Record<string, unknown> = {},
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
  message?: unknown;
}

function fieldMessages(raw: unknown): Record<string, string> {
  if (!Array.isArray(raw)) return {};
  const out: Record<string, string> = {};
  for (const item of raw as { field?: unknown; path?: unknown; message?: unknown }[]) {
    const name = typeof item.field === 'string' ? item.field : Array.isArray(item.path) ? item.path.join('.') : typeof item.path === 'string' ? item.path : null;
    if (name && typeof item.message === 'string' && !(name in out)) out[name] = item.message;
  }
  return out;
}

/** The ApiError for a response that is not ok (JSON error body or not). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  let body: ErrorShape & Record<string, unknown> = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON (a proxy page, an empty body): the status says what there is to say.
  }
  const message =
    (typeof body.error?.message === 'string' && body.error.message) ||
    (typeof body.message === 'string' && body.message) ||
    `The server answered ${response.status} ${response.statusText}`.trim();
  const code = typeof body.error?.code === 'string' ? body.error.code : `http_${response.status}`;
  return new ApiError(message, response.status, code, fieldMessages(body.error?.fields), body, retryAfterSeconds);
}

export interface ApiRequest extends Omit<RequestInit, 'body'> {
  json?: unknown;
}

export const UNREACHABLE = "Can't reach the Conceptflow server. Is it still running?";

export async function apiFetch(path: string, request: ApiRequest = {}, retried = false): Promise<Response> {
  const { json, headers, ...rest } = request;
  const merged = new Headers(headers);
  if (json !== undefined) merged.set('content-type', 'application/json');
  const token = tokens ? await tokens.token() : null;
  if (token) merged.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...rest, headers: merged, body: json === undefined ? undefined : JSON.stringify(json) });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(UNREACHABLE, 0, 'network_error');
  }
  if (response.status === 401 && tokens && !retried && (await tokens.refresh())) return apiFetch(path, request, true);
  return response;
}

/** A JSON answer, or the ApiError of a failed one. */
export async function apiJson<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const response = await apiFetch(path, request);
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** A random key for `Idempotency-Key` (getRandomValues works outside secure contexts too). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
