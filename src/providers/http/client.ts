/**
 * The one HTTP path of the AI providers. Every call has a deadline (PROVIDER_TIMEOUT_MS) combined
 * with the caller's cancellation signal, every answer is read within a byte limit, and every
 * failure comes out as a domain error (errors.ts). The client never retries: retries belong to
 * Temporal's activity retry policy, which honours `ProviderUnavailableError.retryAfterMs`.
 */
import { ProviderBadOutputError } from '../../domain/errors.js';
import { MAX_IMAGE_BYTES } from '../../imaging/probe.js';
import { readLimited } from './body.js';
import { errorForStatus, transportError, type ProviderIdentity } from './errors.js';
import { traceProviderCall } from './tracing.js';

/** What every HTTP provider is configured with. */
export interface HttpProviderSettings {
  apiKey: string;
  /** e.g. `https://api.example.com` or `https://api.example.com/v1`. */
  baseUrl: string;
  timeoutMs: number;
  /** Replaces the global fetch (tests, instrumentation). */
  fetch?: typeof fetch;
}

export interface HttpClientOptions extends ProviderIdentity {
  /** Every API path is appended to this, e.g. `https://api.example.com/v1`. */
  apiRoot: string;
  /** Credentials and other headers for API calls; never sent with downloads. */
  headers: Record<string, string>;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  /** Media type without parameters, lower case; '' when absent. */
  contentType: string;
  body: Buffer;
}

export interface HttpClient {
  readonly identity: ProviderIdentity;
  /** POSTs a JSON body to `apiRoot + path`; the 2xx answer, fully read. */
  postJson(path: string, body: unknown, signal?: AbortSignal): Promise<ProviderResponse>;
  /** POSTs multipart/form-data to `apiRoot + path`. */
  postForm(path: string, form: FormData, signal?: AbortSignal): Promise<ProviderResponse>;
  /** GETs a URL the provider handed out (http or https only, no credentials), at most `maxBytes`. */
  download(url: string, maxBytes: number, signal?: AbortSignal): Promise<ProviderResponse>;
}

/** Room for an image of MAX_IMAGE_BYTES as base64 inside a JSON answer. */
export const MAX_API_RESPONSE_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 1024 * 1024;
/** Error bodies are only read for their message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** `https://host/` or `https://host/v1/` → `https://host/v1`: trailing slashes dropped, `/v1` never doubled. */
export function versionedApiRoot(baseUrl: string, version = 'v1'): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`The provider base URL ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The provider base URL must be http(s), got ${url.protocol}`);
  return trimmed.endsWith(`/${version}`) ? trimmed : `${trimmed}/${version}`;
}

function answer(response: Response, body: Buffer): ProviderResponse {
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return { status: response.status, headers: response.headers, contentType, body };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { apiRoot, headers, timeoutMs, name } = options;
  const identity: ProviderIdentity = { name, keyVariable: options.keyVariable };
  const fetchImpl = options.fetch ?? globalThis.fetch;

  /** One request under one deadline, body read within `maxBytes` (2xx) or for its message (others). */
  async function exchange(url: string, init: { method: string; headers?: Record<string, string>; body?: string | FormData }, maxBytes: number, signal?: AbortSignal) {
    signal?.throwIfAborted();
    const deadline = AbortSignal.timeout(timeoutMs);
    return traceProviderCall(name, init.method, url, init.headers, async (headers) => {
      try {
        const response = await fetchImpl(url, { ...init, headers, signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
        const read = await readLimited(response, response.ok ? maxBytes : MAX_ERROR_BODY_BYTES);
        return { response, ...read };
      } catch (err) {
        signal?.throwIfAborted(); // the caller's cancellation wins over everything else
        throw transportError(name, err, deadline.aborted, timeoutMs);
      }
    });
  }

  async function call(path: string, body: string | FormData, contentHeaders: Record<string, string>, signal?: AbortSignal): Promise<ProviderResponse> {
    const init = { method: 'POST', headers: { ...headers, ...contentHeaders }, body };
    const { response, bytes, complete } = await exchange(`${apiRoot}${path}`, init, MAX_API_RESPONSE_BYTES, signal);
    if (!response.ok) throw errorForStatus(identity, response.status, response.headers, bytes);
    if (!complete) throw new ProviderBadOutputError(`${name}'s answer is larger than ${MAX_API_RESPONSE_BYTES} bytes`);
    return answer(response, bytes);
  }

  return {
    identity,
    postJson: (path, body, signal) => call(path, JSON.stringify(body), { 'content-type': 'application/json' }, signal),
    // fetch writes the multipart content-type with its boundary
    postForm: (path, form, signal) => call(path, form, {}, signal),

    async download(url, maxBytes, signal) {
      const target = URL.canParse(url) ? new URL(url) : undefined;
      if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
        throw new ProviderBadOutputError(`${name} returned an image location that is not an http(s) URL`);
      }
      const { response, bytes, complete } = await exchange(target.href, { method: 'GET' }, maxBytes, signal);
      if (!response.ok) {
        const failure = errorForStatus(identity, response.status, response.headers, bytes);
        // A missing or expired image URL is bad output (a new attempt makes a new image), not an auth problem.
        if (failure.retryable) throw failure;
        throw new ProviderBadOutputError(`Downloading ${name}'s image failed (HTTP ${response.status})`, { detail: `from ${target.host}` });
      }
      if (!complete) throw new ProviderBadOutputError(`${name}'s image is larger than ${maxBytes} bytes`, { detail: `at ${target.host}` });
      return answer(response, bytes);
    },
  };
}
