/**
 * Refinement starts: by concept id (the user's own only) or by an image URL that must point into
 * this service's own storage under the user's prefix. A URL is never fetched: a loopback server
 * counts hits and globalThis.fetch is wrapped, and every unsafe URL is refused with no request made.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import request from 'supertest';
import type { TaskView } from '../../src/api/presenters.js';
import { BUCKETS, type ObjectRef } from '../../src/domain/concept.js';
import { createHarness, pngBytes, PUBLIC_BASE_URL, seedConcept, type Harness } from './harness.js';

const PROMPT = 'make it darker and bolder';

describe('starting a refinement', () => {
  let h: Harness;
  let trap: Server;
  let trapPort = 0;
  let trapHits = 0;
  const fetchCalls: string[] = [];
  const realFetch = globalThis.fetch;

  before(async () => {
    trap = createServer((_req, res) => {
      trapHits += 1;
      res.setHeader('content-type', 'image/png');
      res.end();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapPort = (trap.address() as AddressInfo).port;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      fetchCalls.push(input instanceof Request ? input.url : String(input));
      return realFetch(input, init);
    }) as typeof fetch;
  });
  after(async () => {
    globalThis.fetch = realFetch;
    trap.closeAllConnections();
    await new Promise((resolve) => trap.close(resolve));
  });
  beforeEach(async () => {
    h = await createHarness();
    trapHits = 0;
    fetchCalls.length = 0;
  });
  afterEach(async () => {
    await h?.close();
  });

  const refine = (body: object) => request(h.app).post('/api/concepts/refine').send(body);

  describe('by concept id', () => {
    it("starts a refinement of the user's concept, referencing its stored image", async () => {
      const { concept, image } = await seedConcept(h.persistence, 'local');
      const res = (await refine({ refinement_prompt: PROMPT, original_concept_id: concept.id, preserve_aspects: ['layout', 'layout'] }).expect(202))
        .body as TaskView;
      assert.equal(res.type, 'refinement');
      assert.equal(res.workflow_id, `concept-refinement-${res.task_id}`);
      assert.equal(h.runs.started.length, 1);
      const started = h.runs.started[0]!;
      assert.equal(started.type, 'refinement');
      assert.deepEqual(started.input, {
        task_id: res.task_id,
        user_id: 'local',
        refinement_prompt: PROMPT,
        original: image,
        original_concept_id: concept.id,
        original_image_url: null,
        logo_description: concept.logo_description,
        theme_description: concept.theme_description,
        preserve_aspects: ['layout'],
        num_palettes: 7,
      });
    });

    it('runs beside an active generation (one active task per type), but not beside another refinement', async () => {
      const { concept } = await seedConcept(h.persistence, 'local');
      await request(h.app).post('/api/concepts/generate').send({ logo_description: 'a fox', theme_description: 'autumn' }).expect(202);
      await refine({ refinement_prompt: PROMPT, original_concept_id: concept.id }).expect(202);
      const conflict = await refine({ refinement_prompt: PROMPT, original_concept_id: concept.id }).expect(409);
      assert.equal((conflict.body as { task: TaskView }).task.type, 'refinement');
      assert.equal(h.runs.started.length, 2);
    });

    it("answers 404 for another user's concept and starts nothing", async () => {
      const { concept } = await seedConcept(h.persistence, 'someone-else');
      await refine({ refinement_prompt: PROMPT, original_concept_id: concept.id }).expect(404);
      assert.equal(h.runs.startCalls, 0);
      assert.deepEqual(await h.persistence.tasks.list('local', { type: 'refinement', limit: 10 }), []);
    });
  });

  describe('by image URL', () => {
    it('accepts a signed URL of our own storage under the user prefix, storing it without the signature', async () => {
      const { image } = await seedConcept(h.persistence, 'local');
      const url = await h.persistence.objects.signedUrl(image, 600);
      const res = (await refine({ refinement_prompt: PROMPT, original_image_url: url, theme_description: 'night sky' }).expect(202)).body as TaskView;
      const input = h.runs.started[0]!.input as { original: ObjectRef; original_image_url: string; logo_description: string; theme_description: string };
      assert.deepEqual(input.original, image);
      assert.equal(input.original_image_url, url.split('?')[0]);
      // Without an original concept the prompt stands in for the missing description.
      assert.equal(input.logo_description, PROMPT);
      assert.equal(input.theme_description, 'night sky');
      assert.equal(res.type, 'refinement');
      assert.equal(trapHits, 0);
      assert.deepEqual(fetchCalls, []);
    });

    it('accepts a variation image of the user as the original', async () => {
      const { concept } = await seedConcept(h.persistence, 'local', 1);
      const ref: ObjectRef = { bucket: BUCKETS.palettes, path: concept.color_variations[0]!.image_path };
      await refine({ refinement_prompt: PROMPT, original_image_url: await h.persistence.objects.signedUrl(ref, 600) }).expect(202);
      assert.deepEqual((h.runs.started[0]!.input as { original: ObjectRef }).original, ref);
    });

    describe('refuses, without any outbound request', () => {
      afterEach(async () => {
        assert.equal(trapHits, 0, 'the loopback server was contacted');
        assert.deepEqual(fetchCalls, [], 'fetch was called');
        assert.equal(h.runs.startCalls, 0);
        assert.deepEqual(await h.persistence.tasks.list('local', { type: 'refinement', limit: 10 }), []);
      });

      const unsafe = (): [string, string][] => [
        ['file scheme', 'file:///etc/passwd'],
        ['cloud metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
        ['private network address', 'http://10.0.0.1/logo.png'],
        ['loopback server', `http://127.0.0.1:${trapPort}/x.png`],
        ['loopback server with our file path', `http://127.0.0.1:${trapPort}/files/concept-images/local/x/base.png`],
        ['localhost', 'http://localhost/x.png'],
        ['IPv6 loopback', 'http://[::1]/x.png'],
        ['ftp scheme', 'ftp://concepts.example.test/files/concept-images/local/x.png'],
        ['data URL', 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='],
        ['our origin outside /files', `${PUBLIC_BASE_URL}/api/tasks`],
        ['our origin, arbitrary path', `${PUBLIC_BASE_URL}/etc/passwd`],
        ['a look-alike host', 'https://concepts.example.test.evil.example/files/concept-images/local/x.png'],
        ['not a URL', 'not a url at all'],
      ];

      for (const [name] of unsafe()) {
        it(`400 for ${name}`, async () => {
          const url = unsafe().find(([n]) => n === name)![1];
          const res = await refine({ refinement_prompt: PROMPT, original_image_url: url }).expect(400);
          const body = res.body as { error: { code: string; fields: { field: string }[] } };
          assert.equal(body.error.code, 'invalid_request');
          assert.deepEqual(
            body.error.fields.map((f) => f.field),
            ['original_image_url'],
          );
        });
      }

      it('400 for a URL of our own storage with userinfo', async () => {
        const { image } = await seedConcept(h.persistence, 'local');
        const url = new URL(await h.persistence.objects.signedUrl(image, 600));
        url.username = 'admin';
        url.password = 'hunter2';
        await refine({ refinement_prompt: PROMPT, original_image_url: url.href }).expect(400);
      });

      it("404 for another user's object on our own storage", async () => {
        const { image } = await seedConcept(h.persistence, 'someone-else');
        await refine({ refinement_prompt: PROMPT, original_image_url: await h.persistence.objects.signedUrl(image, 600) }).expect(404);
      });

      it("404 (or 400) for a path that climbs out of the user's prefix", async () => {
        const { image } = await seedConcept(h.persistence, 'someone-else');
        const signed = new URL(await h.persistence.objects.signedUrl(image, 600));
        const sneaky = `${signed.origin}${signed.pathname.replace('/someone-else/', '/local/../someone-else/')}${signed.search}`;
        const res = await refine({ refinement_prompt: PROMPT, original_image_url: sneaky });
        assert.ok([400, 404].includes(res.status), `status ${res.status}`);
      });

      it('404 for a URL of our storage naming an object that does not exist', async () => {
        const missing: ObjectRef = { bucket: BUCKETS.concepts, path: 'local/00000000-0000-4000-8000-000000000000/base.png' };
        await refine({ refinement_prompt: PROMPT, original_image_url: await h.persistence.objects.signedUrl(missing, 600) }).expect(404);
      });
    });

    it('never fetches even a URL that would redirect into our storage', async () => {
      // Nothing is requested, so a redirecting URL is judged by its own text only.
      await h.persistence.objects.put({ bucket: BUCKETS.concepts, path: 'local/r/base.png' }, await pngBytes(), 'image/png');
      await refine({ refinement_prompt: PROMPT, original_image_url: `http://127.0.0.1:${trapPort}/redirect?to=${encodeURIComponent(PUBLIC_BASE_URL)}` }).expect(400);
      assert.equal(trapHits, 0);
      assert.deepEqual(fetchCalls, []);
    });
  });
});
