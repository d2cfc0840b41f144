/**
 * The original React frontend (SulmanK/concept_visualizer) against this API, unmodified: its
 * calls replayed as a browser on the Vite dev origin makes them, with auth configured — each
 * preflight (answered before auth), then the request with its bearer token and the headers its
 * axios client sends — and the fields it reads checked in the answers. See
 * test/support/original-frontend.ts for what it derives from our answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { BUCKETS, objectPaths } from '../../src/domain/concept.js';
import { renderLogoPng } from '../../src/imaging/logo/index.js';
import { bucketGuess, originalClientHeaders, storagePathFromImageUrl } from '../support/original-frontend.js';
import { createHarness, tokenFor, type Harness } from './harness.js';

const ORIGIN = 'http://localhost:5173';
const USER = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

interface Task {
  id: string;
  task_id: string;
  status: string;
  result_id: string | null;
}
interface Concept {
  id: string;
  image_url: string;
  logo_description: string;
  color_variations: { id: string; palette_name: string; colors: string[]; image_url: string }[];
}

describe('the original frontend, replayed from its dev origin with auth configured', () => {
  let h: Harness;
  const headers = originalClientHeaders(tokenFor(USER));

  /** The browser's preflight for a call: must pass without credentials, before auth. */
  async function preflight(method: string, path: string, requestHeaders: string): Promise<void> {
    const res = await request(h.app)
      .options(path)
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', requestHeaders)
      .expect(204);
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN, path);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.ok((res.headers['access-control-allow-methods'] ?? '').split(',').includes(method), `${method} ${path}`);
    const allowed = (res.headers['access-control-allow-headers'] ?? '').toLowerCase().split(',');
    for (const header of requestHeaders.split(',')) assert.ok(allowed.includes(header), `${header} allowed for ${path}`);
  }

  /** The call itself, as axios sends it from the page; checks the CORS headers the browser needs. */
  const call = (method: 'get' | 'post', path: string, extra: Record<string, string> = {}) =>
    request(h.app)[method](path).set('Origin', ORIGIN).set({ ...headers, ...extra });
  const readable = (res: request.Response) => {
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    return res;
  };

  /** What the worker would do for a generation: images in both buckets, the concept row, completed. */
  async function finishGeneration(taskId: string, workflowId: string): Promise<void> {
    await h.runs.claim(workflowId);
    const image = { bucket: BUCKETS.concepts, path: objectPaths.baseImage(USER, taskId) };
    await h.persistence.objects.put(image, await renderLogoPng({ logoDescription: 'A fox', themeDescription: 'autumn' }), 'image/png');
    const variations = [];
    for (const position of [0, 1]) {
      const path = objectPaths.variation(USER, taskId, position);
      await h.persistence.objects.put({ bucket: BUCKETS.palettes, path }, await renderLogoPng({ logoDescription: `fox ${position}`, themeDescription: 'sea' }), 'image/png');
      variations.push({ name: `Palette ${position}`, colors: ['#112233', '#445566', '#778899', '#aabbcc', '#ddeeff'], description: 'd', image_path: path, position });
    }
    const concept = await h.persistence.concepts.store({ user_id: USER, task_id: taskId, logo_description: 'A fox', theme_description: 'autumn', image_path: image.path, variations });
    await h.runs.complete(workflowId, concept.id);
  }

  before(async () => {
    h = await createHarness({ withAuth: true });
  });
  after(async () => {
    await h?.close();
  });

  it('answers the start-up calls: config (buckets), health check, ping and rate limits', async () => {
    await preflight('GET', '/api/health/config', 'content-type');
    const config = readable(await call('get', '/api/health/config').expect(200));
    assert.deepEqual((config.body as { storage: unknown }).storage, { concept: 'concept-images', palette: 'palette-images' });

    await preflight('GET', '/api/health', 'authorization,cache-control,content-type');
    readable(await call('get', '/api/health', { 'Cache-Control': 'no-cache' }).expect(200));
    readable(await call('get', '/api/health/ping').expect(200));

    await preflight('GET', '/api/health/rate-limits-status', 'authorization,content-type');
    const limits = readable(await call('get', '/api/health/rate-limits-status').expect(200)).body as {
      limits: Record<string, { limit: string; remaining: number; reset_after: number }>;
    };
    for (const category of ['generate_concept', 'refine_concept', 'export_action']) {
      const info = limits.limits[category]!;
      // RateLimitsPanel: remaining / parseInt(limit.split('/')[0]); formatTimeRemaining(reset_after)
      assert.ok(Number.parseInt(info.limit.split('/')[0]!, 10) > 0 && Number.isInteger(info.remaining) && info.reset_after > 0, category);
    }
  });

  it('generates, polls, lists, opens, exports, refines and cancels as the pages do', async () => {
    await preflight('POST', '/api/concepts/generate-with-palettes', 'authorization,content-type');
    const started = readable(
      await call('post', '/api/concepts/generate-with-palettes').send({ logo_description: 'A fox made of circles', theme_description: 'warm autumn forest' }).expect(202),
    );
    const exposed = (started.headers['access-control-expose-headers'] ?? '').toLowerCase();
    for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) assert.ok(exposed.includes(header), header);
    assert.ok(started.headers['x-ratelimit-remaining'] !== undefined, 'extractRateLimitHeaders finds limit, remaining and reset');
    const task = started.body as Task;
    assert.equal(task.task_id || task.id, task.id);

    // useTaskPolling: GET tasks/{id} until completed or failed.
    await preflight('GET', `/api/tasks/${task.id}`, 'authorization,content-type');
    assert.equal((readable(await call('get', `/api/tasks/${task.id}`).expect(200)).body as Task).status, 'pending');
    await finishGeneration(task.id, h.runs.started[0]!.workflowId);
    const done = (await call('get', `/api/tasks/${task.id}`).expect(200)).body as Task;
    assert.equal(done.status, 'completed');

    // conceptService: storage/recent (a bare array; axios drops its params here) and storage/concept/{result_id}.
    await preflight('GET', '/api/storage/recent', 'authorization,content-type');
    const recent = readable(await call('get', '/api/storage/recent').expect(200)).body as Concept[];
    assert.ok(Array.isArray(recent));
    assert.deepEqual(recent.map((c) => c.id), [done.result_id]);
    assert.equal((await call('get', '/api/storage/recent?limit=1').expect(200)).body.length, 1);
    const concept = readable(await call('get', `/api/storage/concept/${done.result_id}`).expect(200)).body as Concept;
    assert.equal(concept.color_variations.length, 2);
    assert.ok(concept.color_variations.every((v) => typeof v.id === 'string' && v.image_url.startsWith('http')));

    // ConceptDetailPage ?colorId=… selects by variation id; ExportOptions exports what it reads out of the image URL.
    const variation = concept.color_variations.find((v) => v.id === concept.color_variations[1]!.id)!;
    const identifier = storagePathFromImageUrl(variation.image_url);
    assert.ok(identifier, 'the frontend can derive a storage path from our image URL');
    await preflight('POST', '/api/export/process', 'authorization,content-type');
    const exported = readable(
      await call('post', '/api/export/process')
        .send({ image_identifier: identifier, target_format: 'svg', target_size: 'medium', svg_params: { color_mode: 'color', hierarchical: true }, storage_bucket: bucketGuess(true) })
        .buffer(true)
        .expect(200),
    );
    assert.equal(exported.headers['content-type'], 'image/svg+xml');
    assert.match(exported.headers['content-disposition'] ?? '', /^attachment;/);

    // RefinementPage: the refine request names the original by its image URL.
    await preflight('POST', '/api/concepts/refine', 'authorization,content-type');
    const refining = readable(
      await call('post', '/api/concepts/refine')
        .send({ original_image_url: concept.image_url, refinement_prompt: 'make it bolder', logo_description: concept.logo_description, theme_description: 'autumn', preserve_aspects: ['colors'] })
        .expect(202),
    ).body as Task;

    // useTaskCancelMutation: POST tasks/{id}/cancel without a body.
    await preflight('POST', `/api/tasks/${refining.id}/cancel`, 'authorization,content-type');
    readable(await call('post', `/api/tasks/${refining.id}/cancel`).expect(202));
    assert.equal(((await call('get', `/api/tasks/${refining.id}`).expect(200)).body as Task).status, 'canceled');
  });

  it('gives every error a top-level message the pages show, with CORS headers so they can read it', async () => {
    const cases = [
      await call('get', '/api/storage/concept/6f1c2d3e-0000-4000-8000-000000000000').expect(404),
      await call('post', '/api/concepts/generate-with-palettes').send({ logo_description: 'x' }).expect(400),
      await request(h.app).get('/api/storage/recent').set('Origin', ORIGIN).expect(401),
      await call('get', '/api/storage/recent?limit=500').expect(400),
      await call('post', '/api/export/process').send({}).expect(400),
      await call('get', '/api/no/such/route').expect(404),
    ];
    for (const res of cases) {
      readable(res);
      const body = res.body as { message: unknown; error: { code: string; message: string } };
      assert.equal(typeof body.message, 'string');
      assert.equal(body.message, body.error.message);
      assert.ok(body.error.code);
    }
    const fields = (cases[1]!.body as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
    assert.deepEqual(fields, ['logo_description', 'theme_description']);
  });

  it('gives origins that are not configured no CORS headers', async () => {
    const res = await request(h.app)
      .options('/api/storage/recent')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const get = await request(h.app).get('/api/health').set('Origin', 'https://evil.example').expect(200);
    assert.equal(get.headers['access-control-allow-origin'], undefined);
  });
});
