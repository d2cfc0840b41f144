/**
 * How a provider failure becomes a domain error (the table in docs/providers.md). The error's
 * message is what the user reads (status and provider name only); the provider's own explanation,
 * which may quote request data or parts of our key, goes to `detail` (logs only).
 * - 408, 425, 429, 5xx, timeouts, refused or dropped connections → ProviderUnavailableError
 *   (retryable; `Retry-After` carried as `retryAfterMs`);
 * - content-policy refusals → ProviderRejectedError with a message the user can act on;
 * - 401, 403 → ProviderAuthError (the detail names the key variable an operator must check);
 * - any other 4xx → ProviderRejectedError.
 */
import {
  ProviderAuthError,
  ProviderBadOutputError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type ConceptflowError,
} from '../../domain/errors.js';
import { isRecord } from './json.js';
import { parseRetryAfter } from './retry-after.js';

export interface ProviderIdentity {
  /** For messages, e.g. `JigsawStack`. */
  name: string;
  /** The environment variable holding the API key, named in auth errors. */
  keyVariable: string;
}

const MAX_DETAIL = 300;
const RETRYABLE_STATUSES = new Set([408, 425, 429]);
const POLICY_CODES = new Set(['content_policy_violation', 'moderation_blocked', 'content_filter', 'safety_violation', 'nsfw_content']);
const POLICY_WORDS =
  /\bsafety (system|filter|checker|policy|policies)\b|content[\s_-]*(policy|policies|filter|moderation)|moderation[\s_-]*(system|blocked|flagged)|\bnsfw\b|inappropriate content|prohibited content/i;
/** Error codes (anywhere in the cause chain) of a connection that failed or broke. */
const CONNECTION_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const clip = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text);

/**
 * The provider's own explanation in an error body (`error.message`, `error`, `message`, `detail`,
 * else the text unless it is an HTML page), on one line and clipped.
 */
export function providerDetail(body: unknown, text = ''): string {
  const error = isRecord(body) ? body.error : undefined;
  const candidates = [isRecord(error) ? error.message : error, ...(isRecord(body) ? [body.message, body.detail] : [])];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return clip(oneLine(found ?? (text.trimStart().startsWith('<') ? '' : text)));
}

/** Whether an answer says the request broke the provider's content or safety policy. */
export function isContentPolicyRefusal(body: unknown, detail: string): boolean {
  const error = isRecord(body) && isRecord(body.error) ? body.error : body;
  const codes = isRecord(error) ? [error.code, error.type] : [];
  if (codes.some((c) => typeof c === 'string' && POLICY_CODES.has(c.toLowerCase()))) return true;
  return POLICY_WORDS.test(detail);
}

export function contentPolicyError(provider: string, detail: string): ProviderRejectedError {
  return new ProviderRejectedError(
    `${provider} refused this request under its content policy. Rephrase the logo, theme or refinement text and try again.`,
    { detail },
  );
}

/** A 2xx answer without what was asked for: a refusal if it says so, else (retryable) bad output. */
export function failedAnswer(provider: string, answer: unknown, missing: string): ConceptflowError {
  const detail = providerDetail(answer);
  if (isContentPolicyRefusal(answer, detail)) return contentPolicyError(provider, detail);
  return new ProviderBadOutputError(`${provider} answered without ${missing}`, { detail });
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The domain error for a non-2xx answer of the provider's API. */
export function errorForStatus(identity: ProviderIdentity, status: number, headers: Headers, body: Buffer): ConceptflowError {
  const text = body.toString('utf8');
  const json = tryJson(text);
  const detail = providerDetail(json, text);
  const { name, keyVariable } = identity;
  const withHint = (hint: string) => ({ detail: detail ? `${detail}. ${hint}` : hint });
  if (RETRYABLE_STATUSES.has(status) || status >= 500) {
    const what = status === 429 ? 'is limiting our request rate' : 'is unavailable';
    return new ProviderUnavailableError(`${name} ${what} (HTTP ${status})`, parseRetryAfter(headers), { detail });
  }
  if (status >= 400 && isContentPolicyRefusal(json, detail)) return contentPolicyError(name, detail);
  if (status === 401 || status === 403) {
    return new ProviderAuthError(`${name} refused this service's credentials (HTTP ${status}); an operator must fix the configuration`, withHint(`Check ${keyVariable}.`));
  }
  if (status === 404) return new ProviderRejectedError(`${name} answered HTTP 404`, withHint("Check the provider's base URL and model name."));
  if (status >= 400) return new ProviderRejectedError(`${name} rejected the request (HTTP ${status})`, { detail });
  return new ProviderBadOutputError(`${name} answered with unexpected HTTP status ${status}`, { detail });
}

function connectionCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
  }
  return undefined;
}

/** A fetch or body-read failure: timeouts and broken connections become retryable; anything else is rethrown as is. */
export function transportError(name: string, err: unknown, timedOut: boolean, timeoutMs: number): unknown {
  if (timedOut) {
    return new ProviderUnavailableError(`${name} did not answer in time`, undefined, { cause: err, detail: `no answer within ${timeoutMs} ms (PROVIDER_TIMEOUT_MS)` });
  }
  const code = connectionCode(err);
  if (code || (err instanceof TypeError && (err.message === 'fetch failed' || err.message === 'terminated'))) {
    return new ProviderUnavailableError(`Could not reach ${name}`, undefined, {
      cause: err,
      detail: code ?? oneLine(err instanceof Error ? err.message : String(err)),
    });
  }
  return err;
}
