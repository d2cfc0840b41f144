/**
 * The shared HTTP layer of the AI providers: status → error class, Retry-After, timeouts,
 * refused and dropped connections, caller cancellation, bounded downloads, base URLs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ErrorType,
  ProviderAuthError,
  ProviderBadOutputError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from '../../src/domain/errors.js';
import { MAX_IMAGE_BYTES } from '../../src/imaging/probe.js';
import { createHttpClient, versionedApiRoot, type HttpClient } from '../../src/providers/http/client.js';
import { errorForStatus } from '../../src/providers/http/errors.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/providers/http/retry-after.js';
import { closedOrigin, sendBytes, sendJson, stall, startProviderServer, streamBytes, type ProviderServer } from '../support/provider-server.js';

const identity = { name: 'Acme', keyVariable: 'ACME_API_KEY' };
const classify = (status: number, body: unknown = {}, headers: Record<string, string> = {}) =>
  errorForStatus(identity, status, new Headers(headers), Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const parse = (headers: Record<string, string>) => parseRetryAfter(new Headers(headers), now);

  it('reads delta seconds, HTTP dates and retry-after-ms', () => {
    assert.equal(parse({ 'retry-after': '7' }), 7000);
    assert.equal(parse({ 'retry-after': '1.5' }), 1500);
    assert.equal(parse({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), 30_000);
    assert.equal(parse({ 'retry-after-ms': '250', 'retry-after': '9' }), 250);
  });

  it('clamps to 0…10 minutes and ignores what it cannot read', () => {
    assert.equal(parse({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), 0);
    assert.equal(parse({ 'retry-after': '86400' }), MAX_RETRY_AFTER_MS);
    assert.equal(MAX_RETRY_AFTER_MS, 600_000);
    assert.equal(parse({ 'retry-after': 'soon' }), undefined);
    assert.equal(parse({ 'retry-after': '-5' }), undefined);
    assert.equal(parse({}), undefined);
  });
});

describe('status → error class', () => {
  it('429, 408, 5xx → ProviderUnavailableError (retryable) with the Retry-After delay', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      const err = classify(status, { error: { message: 'busy' } }, { 'retry-after': '3' });
      assert.ok(err instanceof ProviderUnavailableError, `${status}`);
      assert.equal(err.retryable, true);
      assert.equal(err.retryAfterMs, 3000);
      assert.match(err.message, new RegExp(`^Acme .*\\(HTTP ${status}\\)$`));
      assert.equal(err.detail, 'busy');
    }
    assert.equal((classify(503) as ProviderUnavailableError).retryAfterMs, undefined);
  });

  it('401, 403 → ProviderAuthError (not retryable); the detail, not the message, tells the operator which key to check', () => {
    for (const status of [401, 403]) {
      const err = classify(status, { error: { message: 'Incorrect API key provided: sk-proj-ab**********xy9z.' } });
      assert.ok(err instanceof ProviderAuthError);
      assert.equal(err.retryable, false);
      assert.match(err.message, /^Acme refused this service's credentials \(HTTP 40[13]\); an operator must fix the configuration$/);
      assert.match(err.detail ?? '', /Incorrect API key provided: sk-proj-ab\*+xy9z\.\. Check ACME_API_KEY\./);
      assert.doesNotMatch(err.message, /sk-|ACME_API_KEY/);
    }
  });

  it('400 and other 4xx → ProviderRejectedError with the provider message as detail', () => {
    const err = classify(400, { message: 'prompt must be at most 5000 characters' });
    assert.ok(err instanceof ProviderRejectedError);
    assert.equal(err.retryable, false);
    assert.equal(err.message, 'Acme rejected the request (HTTP 400)');
    assert.equal(err.detail, 'prompt must be at most 5000 characters');
    const notFound = classify(404, { error: { message: 'model not found' } });
    assert.equal(notFound.message, 'Acme answered HTTP 404');
    assert.match(notFound.detail ?? '', /^model not found\. Check the provider's base URL and model name/);
    assert.ok(classify(422, 'unprocessable') instanceof ProviderRejectedError);
    const parameter = classify(400, { error: { message: "Invalid value for 'moderation': must be 'low' or 'auto'" } });
    assert.doesNotMatch(parameter.message, /content policy/, 'a parameter named moderation is not a policy refusal');
  });

  it('content-policy refusals → ProviderRejectedError the user can act on', () => {
    const cases: unknown[] = [
      { error: { code: 'content_policy_violation', message: 'Your request was rejected as a result of our safety system.' } },
      { error: { code: 'moderation_blocked', message: 'Request blocked.' } },
      { success: false, message: 'Prompt flagged as NSFW' },
      { detail: 'This prompt violates our content policy' },
    ];
    for (const body of cases) {
      const err = classify(400, body);
      assert.ok(err instanceof ProviderRejectedError, JSON.stringify(body));
      assert.equal(err.type, ErrorType.ProviderRejected);
      assert.match(err.message, /refused this request under its content policy\. Rephrase the logo, theme or refinement text/);
      assert.ok(err.detail);
    }
    assert.ok(classify(403, { error: { message: 'Blocked by content filter' } }) instanceof ProviderRejectedError);
  });

  it('keeps HTML error pages out of messages and clips long ones', () => {
    assert.equal(classify(502, '<html><body>Bad gateway</body></html>').message, 'Acme is unavailable (HTTP 502)');
    assert.ok((classify(400, { message: 'x'.repeat(5000) }).detail ?? '').length < 400);
  });
});

describe('base URLs', () => {
  it('drops trailing slashes and never doubles /v1', () => {
    assert.equal(versionedApiRoot('https://api.example.test'), 'https://api.example.test/v1');
    assert.equal(versionedApiRoot('https://api.example.test///'), 'https://api.example.test/v1');
    assert.equal(versionedApiRoot('https://api.example.test/v1/'), 'https://api.example.test/v1');
    assert.equal(versionedApiRoot('http://127.0.0.1:8080/openai'), 'http://127.0.0.1:8080/openai/v1');
  });

  it('refuses what is not an http(s) URL', () => {
    assert.throws(() => versionedApiRoot('not a url'), /is not a URL/);
    assert.throws(() => versionedApiRoot('ftp://example.test'), /must be http\(s\)/);
  });
});

describe('HTTP client', () => {
  let server: ProviderServer;
  let client: HttpClient;
  const clientFor = (origin: string, timeoutMs = 2000) =>
    createHttpClient({ ...identity, apiRoot: `${origin}/v1`, headers: { 'x-api-key': 'secret' }, timeoutMs });

  before(async () => {
    server = await startProviderServer();
    client = clientFor(server.origin);
  });
  after(() => server.stop());

  it('posts JSON with the credentials and returns the full answer', async () => {
    server.on('POST', '/v1/echo', (req, res) => sendJson(res, 200, { got: JSON.parse(req.body.toString()) }));
    const answer = await client.postJson('/echo', { a: 1 });
    assert.equal(answer.contentType, 'application/json');
    assert.deepEqual(JSON.parse(answer.body.toString()), { got: { a: 1 } });
    const [req] = server.requestsTo('/v1/echo');
    assert.equal(req?.headers['x-api-key'], 'secret');
    assert.match(String(req?.headers['content-type']), /^application\/json/);
  });

  it('turns a slow answer into ProviderUnavailableError at the timeout', async () => {
    server.on('POST', '/v1/slow', (_req, res) => stall(res, 5000));
    const started = Date.now();
    await assert.rejects(clientFor(server.origin, 200).postJson('/slow', {}), (err: unknown) => {
      assert.ok(err instanceof ProviderUnavailableError);
      assert.equal(err.message, 'Acme did not answer in time');
      assert.match(err.detail ?? '', /no answer within 200 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('turns a refused connection into ProviderUnavailableError', async () => {
    await assert.rejects(clientFor(await closedOrigin()).postJson('/x', {}), (err: unknown) => {
      assert.ok(err instanceof ProviderUnavailableError);
      assert.equal(err.message, 'Could not reach Acme');
      assert.equal(err.detail, 'ECONNREFUSED');
      return true;
    });
  });

  it('turns a dropped connection into ProviderUnavailableError', async () => {
    server.on('POST', '/v1/drop', (_req, res) => void res.socket?.destroy());
    await assert.rejects(client.postJson('/drop', {}), (err: unknown) => {
      assert.ok(err instanceof ProviderUnavailableError);
      assert.match(err.message, /Could not reach Acme/);
      return true;
    });
  });

  it("honours the caller's abort signal, before and during the call", async () => {
    server.on('POST', '/v1/wait', (_req, res) => stall(res, 5000));
    const before = server.requestsTo('/v1/wait').length;
    await assert.rejects(client.postJson('/wait', {}, AbortSignal.abort()), { name: 'AbortError' });
    assert.equal(server.requestsTo('/v1/wait').length, before, 'an aborted call sends nothing');

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(client.postJson('/wait', {}, controller.signal), (err: unknown) => {
      assert.ok(!(err instanceof ProviderUnavailableError), 'a cancellation is not a provider failure');
      assert.equal((err as Error).name, 'AbortError');
      return true;
    });
  });

  it('downloads provider URLs without credentials, within the byte limit', async () => {
    server.on('GET', '/files/a.bin', (_req, res) => sendBytes(res, Buffer.from('hello'), 'application/octet-stream'));
    const answer = await client.download(`${server.origin}/files/a.bin`, 100);
    assert.equal(answer.body.toString(), 'hello');
    assert.equal(server.requestsTo('/files/a.bin')[0]?.headers['x-api-key'], undefined);
  });

  it('stops an oversized download as soon as the limit is passed (streamed or declared)', async () => {
    server.on('GET', '/files/endless', (_req, res) => streamBytes(res, MAX_IMAGE_BYTES + 8 * 1024 * 1024, 'image/png'));
    await assert.rejects(client.download(`${server.origin}/files/endless`, MAX_IMAGE_BYTES), (err: unknown) => {
      assert.ok(err instanceof ProviderBadOutputError);
      assert.match(err.message, new RegExp(`larger than ${MAX_IMAGE_BYTES} bytes`));
      return true;
    });
    server.on('GET', '/files/declared', (_req, res) => sendBytes(res, Buffer.alloc(2048), 'image/png'));
    await assert.rejects(client.download(`${server.origin}/files/declared`, 1024), ProviderBadOutputError);
  });

  it('treats a failed download as bad output (retryable), except when the host is unavailable', async () => {
    server.on('GET', '/files/expired', (_req, res) => sendJson(res, 403, { message: 'Request has expired' }));
    server.on('GET', '/files/busy', (_req, res) => sendJson(res, 503, {}, { 'retry-after': '2' }));
    await assert.rejects(client.download(`${server.origin}/files/expired`, 1024), (err: unknown) => {
      assert.ok(err instanceof ProviderBadOutputError, 'an expired image URL is not an auth problem');
      assert.match(err.message, /failed \(HTTP 403\)/);
      return true;
    });
    await assert.rejects(client.download(`${server.origin}/files/busy`, 1024), { name: 'ProviderUnavailableError', retryAfterMs: 2000 });
    await assert.rejects(client.download('file:///etc/passwd', 1024), /not an http\(s\) URL/);
  });
});
