/**
 * Hostile input found by fuzzing (issue 10, defects 1, 2 and 5): malformed percent-encoding in
 * paths, corrupt compressed bodies, NUL and lone surrogates in text fields, empty chunked bodies,
 * non-UTF-8 JSON and repeated Idempotency-Key headers. Each answers a clear 4xx (never a 500),
 * logs below error level, leaks no database text, and creates no task.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import request from 'supertest';
import { toErrorResponse } from '../../src/api/errors.js';
import { listen, type RunningServer } from '../../src/api/server.js';
import { InvalidInputError, StorageError } from '../../src/domain/errors.js';
import { createHarness, seedConcept, seedTask, validGenerate, type Harness } from './harness.js';

interface ErrorResponse {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

const DATABASE_TEXT = /database|postgres|sql|22P05|22021|unsupported Unicode|invalid byte sequence|\\u0000|relation|constraint/i;

function capturingLogger() {
  const lines: { level: number; msg: string; status?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { logger, lines };
}

/** A raw request on a real socket (for framings supertest cannot produce). */
function rawRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; chunks?: Buffer[] },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('hostile input', () => {
  let h: Harness;
  let server: RunningServer;
  const log = capturingLogger();

  before(async () => {
    h = await createHarness({ logger: log.logger });
    server = await listen(h.app, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
  });
  after(async () => {
    await server?.close();
    await h?.close();
  });
  afterEach(() => {
    const errors = log.lines.filter((l) => l.level >= 50);
    log.lines.length = 0;
    assert.deepEqual(errors, [], 'nothing here is an error worth an error-level log line');
  });

  describe('malformed percent-encoding in the path (defect 1)', () => {
    for (const [method, path] of [
      ['GET', '/files/%E0'],
      ['GET', '/files/concept-images/local/%ZZ.png'],
      ['GET', '/api/tasks/%ZZ'],
      ['GET', '/api/tasks/%E0/events'],
      ['GET', '/api/concepts/%C0%AF'],
      ['POST', '/api/tasks/%ZZ/cancel'],
    ] as const) {
      it(`${method} ${path} → 400 malformed_path`, async () => {
        const res = await request(h.app)[method === 'GET' ? 'get' : 'post'](path).expect(400).expect('Content-Type', /json/);
        assert.equal((res.body as ErrorResponse).error.code, 'malformed_path');
        assert.match((res.body as ErrorResponse).error.message, /percent-encoding/);
        assert.ok(log.lines.some((l) => l.msg === 'request refused' && l.level === 30 && l.status === 400), 'logged at info');
      });
    }
  });

  describe('corrupt compressed bodies (defect 1)', () => {
    const json = Buffer.from(JSON.stringify(validGenerate));
    const cases: [string, string, Buffer][] = [
      ['gzip garbage', 'gzip', Buffer.from('this is not gzip at all')],
      ['truncated gzip', 'gzip', gzipSync(json).subarray(0, 20)],
      ['deflate garbage', 'deflate', Buffer.from('nope, not deflate')],
      ['brotli garbage', 'br', Buffer.from('xxxxxxxxxxxxxxxxxxxxxxxxxxxx')],
    ];
    for (const [name, encoding, body] of cases) {
      it(`${name} → 400 malformed_body, no run`, async () => {
        const starts = h.runs.startCalls;
        const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal((res.body as ErrorResponse).error.code, 'malformed_body');
        assert.equal(h.runs.startCalls, starts);
      });
    }

    it('well-formed gzip, deflate and br bodies still work', async () => {
      for (const [encoding, body] of [['gzip', gzipSync(json)], ['deflate', deflateSync(json)], ['br', brotliCompressSync(json)]] as const) {
        const res = await rawRequest(`${server.url}/api/concepts/generate`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
          chunks: [body],
        });
        assert.equal(res.status, 202, `${encoding}: ${res.body}`);
        await h.runs.cancel((JSON.parse(res.body) as { workflow_id: string }).workflow_id);
      }
    });

    it('an unknown Content-Encoding is 415', async () => {
      const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', 'application/json').set('Content-Encoding', 'x-unknown').send(json);
      assert.equal(res.status, 415);
    });
  });

  it('any error carrying a 4xx status answers that status; 5xx and unknown stay a (generic) 500', () => {
    assert.equal(toErrorResponse(Object.assign(new Error('method not allowed'), { status: 405 }))?.status, 405);
    assert.equal(toErrorResponse(Object.assign(new Error('teapot'), { statusCode: 418 }))?.status, 418);
    assert.equal(toErrorResponse(Object.assign(new Error('x'), { status: 502 })), null);
    assert.equal(toErrorResponse(Object.assign(new Error('x'), { status: '400' })), null);
  });

  describe('NUL and lone surrogates in text fields (defect 2)', () => {
    async function expectFieldError(path: string, rawJson: string, field: string) {
      const res = await request(h.app).post(path).set('Content-Type', 'application/json').send(rawJson);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const err = (res.body as ErrorResponse).error;
      assert.equal(err.code, 'invalid_request');
      assert.deepEqual(err.fields?.map((f) => f.field), [field]);
      assert.match(err.fields![0]!.message, /control characters or invalid Unicode/);
      assert.doesNotMatch(JSON.stringify(res.body), DATABASE_TEXT);
    }

    it('refuses them in generate and refine fields, naming the field', async () => {
      const before = (await h.persistence.tasks.list('local', { limit: 50 })).length;
      const starts = h.runs.startCalls;
      const generate = (logo: string, theme = 'warm autumn forest') => `{"logo_description":"${logo}","theme_description":"${theme}"}`;
      await expectFieldError('/api/concepts/generate', generate('A fox\\u0000 of circles'), 'logo_description');
      await expectFieldError('/api/concepts/generate', generate('A fox of circles', 'warm \\ud800 forest'), 'theme_description');
      await expectFieldError('/api/concepts/generate', generate('A fox \\udfff of circles'), 'logo_description');
      await expectFieldError('/api/concepts/generate', generate('bell\\u0007 ring'), 'logo_description');
      const { concept } = await seedConcept(h.persistence, 'local');
      await expectFieldError('/api/concepts/refine', `{"refinement_prompt":"darker\\u0000 please","original_concept_id":"${concept.id}"}`, 'refinement_prompt');
      await expectFieldError('/api/concepts/refine', `{"refinement_prompt":"darker please","original_image_url":"https://x.test/a\\u0000.png"}`, 'original_image_url');
      assert.equal((await h.persistence.tasks.list('local', { limit: 50 })).length, before + 1, 'only the seeded concept task');
      assert.equal(h.runs.startCalls, starts);
    });

    it('accepts tabs, line breaks and well-formed astral characters', async () => {
      const res = await request(h.app)
        .post('/api/concepts/generate')
        .send({ logo_description: 'A fox\tmade of\ncircles 🦊', theme_description: 'warm autumn\r\nforest' });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      await h.runs.cancel((res.body as { workflow_id: string }).workflow_id);
    });

    it('a database refusal that still gets through says nothing of the database', async () => {
      const err = await h.persistence.tasks
        .create({ id: randomUUID(), user_id: 'nul-user', type: 'generation', workflow_id: 'wf', metadata: { text: 'a\u0000b' }, idempotency_key: null })
        .then(
          () => assert.fail('PGlite stored a NUL in jsonb'),
          (e: unknown) => e,
        );
      assert.ok(err instanceof InvalidInputError);
      assert.doesNotMatch(err.message, DATABASE_TEXT);
      assert.match(err.detail ?? '', /22P05|unsupported Unicode/i, 'the database text is kept for the log');
      const answer = toErrorResponse(err);
      assert.equal(answer?.status, 400);
      assert.doesNotMatch(JSON.stringify(answer?.body), DATABASE_TEXT);
      // Storage errors name paths and SQL in their message: users get a generic one.
      const storage = toErrorResponse(new StorageError('read concept-images/u/x.png failed: EACCES /var/data/storage'));
      assert.equal(storage?.status, 503);
      assert.doesNotMatch(JSON.stringify(storage?.body), /EACCES|\/var\/data/);
    });
  });

  describe('framing, charset and headers', () => {
    it('an empty chunked POST body (cancel) is accepted (defect 5)', async () => {
      for (const headers of [{}, { 'Content-Type': 'application/json' }, { 'Content-Type': 'text/plain' }] as Record<string, string>[]) {
        const task = await seedTask(h.persistence, 'local', 'refinement');
        const res = await rawRequest(`${server.url}/api/tasks/${task.id}/cancel`, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
        assert.equal(res.status, 202, `${JSON.stringify(headers)}: ${res.body}`);
        assert.equal((JSON.parse(res.body) as { status: string }).status, 'canceled');
      }
    });

    it('a non-empty chunked body that is not JSON is still 415', async () => {
      const task = await seedTask(h.persistence, 'local', 'refinement');
      const res = await rawRequest(`${server.url}/api/tasks/${task.id}/cancel`, {
        method: 'POST',
        headers: { 'Transfer-Encoding': 'chunked' },
        chunks: [Buffer.from('reason=because'), Buffer.from('&more=1')],
      });
      assert.equal(res.status, 415);
      assert.equal((await h.persistence.tasks.get(task.id))?.status, 'pending');
    });

    it('JSON must be UTF-8: another charset is 415 before parsing', async () => {
      for (const charset of ['utf-16le', 'latin1', 'UTF-32', 'utf8']) {
        const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', `application/json; charset=${charset}`).send(JSON.stringify(validGenerate));
        assert.equal(res.status, 415, charset);
        assert.equal((res.body as ErrorResponse).error.code, 'unsupported_media_type');
      }
      for (const charset of ['UTF-8', '"utf-8"']) {
        const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', `application/json; charset=${charset}`).send(JSON.stringify(validGenerate));
        assert.equal(res.status, 202, `${charset}: ${JSON.stringify(res.body)}`);
        await h.runs.cancel((res.body as { workflow_id: string }).workflow_id);
      }
    });

    it('a repeated Idempotency-Key header is 400, not a joined key', async () => {
      const starts = h.runs.startCalls;
      const res = await rawRequest(`${server.url}/api/concepts/generate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': ['key-a', 'key-b'] as unknown as string },
        chunks: [Buffer.from(JSON.stringify(validGenerate))],
      });
      assert.equal(res.status, 400, res.body);
      const err = (JSON.parse(res.body) as ErrorResponse).error;
      assert.deepEqual(err.fields?.map((f) => f.field), ['Idempotency-Key']);
      assert.equal(h.runs.startCalls, starts);
    });
  });
});
