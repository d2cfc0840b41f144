/** Liveness and readiness: 200 when Temporal, database and storage answer; 503 naming the one that does not. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createHarness, type Harness } from './harness.js';

describe('health and readiness', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ readyCheckTimeoutMs: 100 });
  });
  after(async () => {
    await h?.close();
  });

  it('answers liveness with 200', async () => {
    const res = await request(h.app).get('/api/health').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('answers readiness with 200 when every dependency answers', async () => {
    const res = await request(h.app).get('/api/ready').expect(200);
    assert.deepEqual(res.body, { status: 'ok', checks: { temporal: 'ok', database: 'ok', storage: 'ok' } });
  });

  it('answers 503 when Temporal is unreachable', async () => {
    h.runs.pingError = new Error('14 UNAVAILABLE');
    try {
      const res = await request(h.app).get('/api/ready').expect(503);
      assert.deepEqual(res.body, { status: 'unavailable', checks: { temporal: 'failed', database: 'ok', storage: 'ok' } });
    } finally {
      h.runs.pingError = null;
    }
  });

  it('answers 503 when a dependency hangs past the check timeout', async () => {
    h.runs.pingHangs = true;
    try {
      const res = await request(h.app).get('/api/ready').expect(503);
      assert.equal((res.body as { checks: { temporal: string } }).checks.temporal, 'timeout');
    } finally {
      h.runs.pingHangs = false;
    }
  });

  it('answers 503 when the database or the storage fails', async () => {
    const tasksPing = h.persistence.tasks.ping;
    const objectsPing = h.persistence.objects.ping;
    h.persistence.tasks.ping = () => Promise.reject(new Error('connection refused'));
    h.persistence.objects.ping = () => Promise.reject(new Error('bucket missing'));
    try {
      const res = await request(h.app).get('/api/ready').expect(503);
      assert.deepEqual(res.body, { status: 'unavailable', checks: { temporal: 'ok', database: 'failed', storage: 'failed' } });
    } finally {
      h.persistence.tasks.ping = tasksPing;
      h.persistence.objects.ping = objectsPing;
    }
    await request(h.app).get('/api/ready').expect(200);
  });
});
