/**
 * Bad input at the edge: every case answers 4xx with a clear body (field names for schema
 * errors), and none of them creates a task row or starts a workflow.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import request from 'supertest';
import { createHarness, validGenerate, type Harness } from './harness.js';

interface ErrorResponse {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

describe('request validation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });
  afterEach(async () => {
    // The invariant of this whole file: bad input never reaches the database or Temporal.
    assert.deepEqual(await h.persistence.tasks.list('local', { limit: 50 }), []);
    assert.equal(h.runs.startCalls, 0);
  });

  async function expect400(path: string, body: unknown, fields: string[]) {
    const res = await request(h.app).post(path).send(body as object).expect(400);
    const err = (res.body as ErrorResponse).error;
    assert.equal(err.code, 'invalid_request');
    assert.ok(err.message.length > 0);
    assert.deepEqual(err.fields?.map((f) => f.field).sort(), [...fields].sort(), JSON.stringify(err.fields));
    return err;
  }

  it('names every missing field', async () => {
    const err = await expect400('/api/concepts/generate', {}, ['logo_description', 'theme_description']);
    assert.ok(err.fields!.every((f) => /is required/.test(f.message)));
  });

  it('treats an empty body like an empty object', async () => {
    const res = await request(h.app).post('/api/concepts/generate').expect(400);
    assert.deepEqual((res.body as ErrorResponse).error.fields?.map((f) => f.field).sort(), ['logo_description', 'theme_description']);
  });

  it('refuses wrong types', async () => {
    const err = await expect400('/api/concepts/generate', { logo_description: 42, theme_description: ['a'], num_palettes: '3' }, [
      'logo_description',
      'theme_description',
      'num_palettes',
    ]);
    assert.match(err.fields!.find((f) => f.field === 'num_palettes')!.message, /must be a number/);
  });

  it('refuses too short and too long texts', async () => {
    const err = await expect400('/api/concepts/generate', { logo_description: 'ab', theme_description: 'x'.repeat(501) }, [
      'logo_description',
      'theme_description',
    ]);
    assert.match(err.fields!.find((f) => f.field === 'theme_description')!.message, /at most 500/);
  });

  for (const num_palettes of [0, 13, 1.5, -1]) {
    it(`refuses num_palettes ${num_palettes}`, async () => {
      await expect400('/api/concepts/generate', { ...validGenerate, num_palettes }, ['num_palettes']);
    });
  }

  it('refuses unknown keys, naming them', async () => {
    const err = await expect400('/api/concepts/generate', { ...validGenerate, user_id: 'someone-else', priority: 1 }, ['user_id', 'priority']);
    assert.match(err.fields![0]!.message, /not a known field/);
  });

  it('refuses a JSON array or string as the body', async () => {
    await expect400('/api/concepts/generate', [validGenerate], ['body']);
    const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', 'application/json').send('"just a string"').expect(400);
    assert.equal((res.body as ErrorResponse).error.code, 'malformed_json');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', 'application/json').send('{"logo_description": "fox",').expect(400);
    assert.equal((res.body as ErrorResponse).error.code, 'malformed_json');
  });

  it('answers a body over 16 kB with 413', async () => {
    const res = await request(h.app)
      .post('/api/concepts/generate')
      .send({ ...validGenerate, logo_description: 'x'.repeat(17 * 1024) })
      .expect(413);
    assert.equal((res.body as ErrorResponse).error.code, 'body_too_large');
  });

  it('answers a non-JSON content type with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await request(h.app).post('/api/concepts/generate').set('Content-Type', type).send(JSON.stringify(validGenerate)).expect(415);
      assert.equal((res.body as ErrorResponse).error.code, 'unsupported_media_type');
    }
  });

  it('refuses a bad Idempotency-Key header', async () => {
    for (const key of ['x'.repeat(256), '']) {
      const res = await request(h.app).post('/api/concepts/generate').set('Idempotency-Key', key).send(validGenerate).expect(400);
      assert.deepEqual((res.body as ErrorResponse).error.fields?.map((f) => f.field), ['Idempotency-Key']);
    }
  });

  describe('refinement', () => {
    it('names missing fields and requires exactly one original', async () => {
      await expect400('/api/concepts/refine', {}, ['refinement_prompt']);
      const both = await expect400(
        '/api/concepts/refine',
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), original_image_url: 'https://concepts.example.test/x.png' },
        ['original_concept_id'],
      );
      assert.match(both.fields![0]!.message, /exactly one/);
      await expect400('/api/concepts/refine', { refinement_prompt: 'make it darker' }, ['original_concept_id']);
    });

    it('refuses a malformed concept id, bad preserve_aspects and unknown keys', async () => {
      await expect400('/api/concepts/refine', { refinement_prompt: 'make it darker', original_concept_id: 'not-a-uuid' }, ['original_concept_id']);
      await expect400(
        '/api/concepts/refine',
        { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), preserve_aspects: ['colors', 'soul'] },
        ['preserve_aspects.1'],
      );
      await expect400('/api/concepts/refine', { refinement_prompt: 'make it darker', original_concept_id: randomUUID(), strength: 0.9 }, ['strength']);
    });

    it('answers 404 for a concept id that does not exist', async () => {
      const res = await request(h.app).post('/api/concepts/refine').send({ refinement_prompt: 'make it darker', original_concept_id: randomUUID() }).expect(404);
      assert.equal((res.body as ErrorResponse).error.code, 'not_found');
    });
  });

  describe('queries and ids', () => {
    it('refuses list limits outside 1–50 and unknown statuses, naming the parameter', async () => {
      for (const q of ['limit=0', 'limit=51', 'limit=abc', 'limit=1.5', 'limit=5&limit=6']) {
        const res = await request(h.app).get(`/api/tasks?${q}`).expect(400);
        assert.deepEqual((res.body as ErrorResponse).error.fields?.map((f) => f.field), ['limit'], q);
      }
      const res = await request(h.app).get('/api/tasks?status=running').expect(400);
      assert.deepEqual((res.body as ErrorResponse).error.fields?.map((f) => f.field), ['status']);
      await request(h.app).get('/api/concepts?limit=100').expect(400);
    });

    it('answers 404 for ids that are not UUIDs', async () => {
      await request(h.app).get('/api/tasks/123').expect(404);
      await request(h.app).get('/api/tasks/123/events').expect(404);
      await request(h.app).post('/api/tasks/123/cancel').expect(404);
      await request(h.app).get('/api/concepts/1%27%20or%20%271%27=%271').expect(404);
    });
  });
});
