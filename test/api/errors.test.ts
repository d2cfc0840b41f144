/**
 * The edges of the app: JSON 404s, a generic 500 that leaks nothing, request ids, security
 * headers, and the mapping of domain errors to statuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { toErrorResponse } from '../../src/api/errors.js';
import { ConflictError, InvalidImageError, NotFoundError, ProviderUnavailableError, StorageError } from '../../src/domain/errors.js';
import { createHarness, type Harness } from './harness.js';

describe('app edges', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const path of ['/api/nope', '/api/concepts/generate/extra', '/elsewhere']) {
      const res = await request(h.app).get(path).expect(404).expect('Content-Type', /json/);
      assert.equal((res.body as { error: { code: string } }).error.code, 'not_found');
    }
    await request(h.app).delete('/api/tasks').expect(404);
  });

  it('answers an unexpected failure with a generic 500 carrying the request id, not the internal message', async () => {
    const list = h.persistence.tasks.list;
    h.persistence.tasks.list = () => Promise.reject(new Error('relation "tasks" password=secret123 does not exist'));
    try {
      const res = await request(h.app).get('/api/tasks').set('X-Request-Id', 'req-abc-123').expect(500);
      assert.equal(res.headers['x-request-id'], 'req-abc-123');
      const body = res.body as { error: { code: string; message: string; request_id: string } };
      assert.equal(body.error.code, 'internal_error');
      assert.equal(body.error.request_id, 'req-abc-123');
      assert.doesNotMatch(JSON.stringify(body), /secret123|relation/);
    } finally {
      h.persistence.tasks.list = list;
    }
  });

  it('assigns a request id when the client sends none or an unusable one', async () => {
    const a = await request(h.app).get('/api/health');
    assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const b = await request(h.app).get('/api/health').set('X-Request-Id', 'has spaces and <html>');
    assert.match(String(b.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('sets basic security headers and no X-Powered-By', async () => {
    const res = await request(h.app).get('/api/health');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('maps domain errors to fitting statuses', () => {
    assert.equal(toErrorResponse(new NotFoundError('x'))?.status, 404);
    assert.equal(toErrorResponse(new ConflictError('x'))?.status, 409);
    assert.equal(toErrorResponse(new InvalidImageError('x'))?.status, 400);
    assert.equal(toErrorResponse(new StorageError('x'))?.status, 503);
    assert.equal(toErrorResponse(new ProviderUnavailableError('x'))?.status, 503);
    assert.equal(toErrorResponse(new Error('x')), null);
  });
});
