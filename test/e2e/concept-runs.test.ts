/**
 * End to end: the real worker and the real API (over HTTP on loopback) against the Temporal test
 * environment and the embedded backend on disk. POST a generation, follow its SSE stream to
 * `done`, check the stored concept and fetch its files; then refine it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BUCKETS, objectPaths } from '../../src/domain/concept.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import type { PaletteProvider } from '../../src/providers/types.js';
import { startE2eStack, type ConceptBody, type E2eStack } from '../support/e2e-stack.js';
import { describeTemporal, temporalTier } from '../support/temporal-env.js';

const tier = await temporalTier('end-to-end tests');

describeTemporal(tier, 'end to end: API → Temporal → worker → storage', (env) => {
  let stack: E2eStack;

  before(async () => {
    stack = await startE2eStack(env, { image: createLocalImageProvider(), palette: createLocalPaletteProvider() });
  });

  after(async () => {
    await stack?.stop();
    await env.teardown();
  });

  let generated: ConceptBody;

  it('generates a concept with 7 served variations, following SSE to done', async () => {
    const started = await stack.post('/api/concepts/generate', {
      logo_description: 'Summit Coffee roasters, a mountain peak',
      theme_description: 'warm sunrise, earthy and friendly',
    });
    assert.equal(started.status, 202);
    assert.equal(started.body.links.self, `/api/tasks/${started.body.task_id}`);

    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed');
    assert.ok(done.result_id);

    generated = await stack.getConcept(done.result_id);
    assert.equal(generated.task_id, started.body.task_id);
    assert.equal(generated.color_variations.length, 7);
    const base = await stack.fetchPng(generated.image_url);
    const variations = await Promise.all(generated.color_variations.map((v) => stack.fetchPng(v.image_url)));
    assert.ok(variations.every((v) => !v.equals(base)), 'variations are recoloured');
  });

  it('refines the generated concept and records its provenance', async () => {
    assert.ok(generated, 'needs the generated concept');
    const started = await stack.post('/api/concepts/refine', {
      original_concept_id: generated.id,
      refinement_prompt: 'make it darker and bolder',
      num_palettes: 3,
    });
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed');
    const refined = await stack.getConcept(done.result_id!);
    assert.equal(refined.original_concept_id, generated.id);
    assert.equal(refined.refinement_prompt, 'make it darker and bolder');
    assert.equal(refined.color_variations.length, 3);
    await stack.fetchPng(refined.image_url);
  });

  it('refines from a signed URL of its own storage', async () => {
    const started = await stack.post('/api/concepts/refine', {
      original_image_url: generated.image_url,
      refinement_prompt: 'simpler, fewer colours',
      num_palettes: 2,
    });
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed');
  });

  it('cancels within 3 s while a slow provider call is in flight, deleting what the task stored', async () => {
    // A palette provider that takes 30 s unless its call is aborted (as a real AI call may).
    let entered!: () => void;
    const inFlight = new Promise<void>((r) => (entered = r));
    const slowPalettes: PaletteProvider = {
      name: 'slow',
      generatePalettes: (_request, signal) =>
        new Promise((_resolve, reject) => {
          entered();
          const timer = setTimeout(() => reject(new Error('slow provider was never cancelled')), 30_000);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          });
        }),
    };
    const slow = await startE2eStack(env, { image: createLocalImageProvider(), palette: slowPalettes });
    try {
      const started = await slow.post('/api/concepts/generate', { logo_description: 'Harbor Lights, a lighthouse', theme_description: 'navy, calm' });
      assert.equal(started.status, 202);
      const taskId = started.body.task_id;
      const task = await slow.persistence.tasks.get(taskId);
      const base = { bucket: BUCKETS.concepts, path: objectPaths.baseImage(task!.user_id, taskId) };
      await inFlight;
      for (let i = 0; i < 200 && !(await slow.persistence.objects.exists(base)); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(await slow.persistence.objects.exists(base), 'the base image was stored while the palettes call runs');

      const requested = Date.now();
      const cancel = await fetch(`${slow.baseUrl}/api/tasks/${taskId}/cancel`, { method: 'POST' });
      assert.equal(cancel.status, 202);
      let status = '';
      while (Date.now() - requested < 10_000) {
        status = (await slow.persistence.tasks.get(taskId))?.status ?? '';
        if (status === 'canceled') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const elapsed = Date.now() - requested;
      assert.equal(status, 'canceled');
      assert.ok(elapsed <= 3_000, `canceled ${elapsed} ms after the request`);
      assert.equal(await slow.persistence.objects.exists(base), false, 'the stored base image is deleted');
      const prefix = objectPaths.taskPrefix(task!.user_id, taskId);
      for (const bucket of Object.values(BUCKETS)) assert.deepEqual(await slow.persistence.objects.list(bucket, prefix), []);
      console.log(`# cancel → canceled with objects deleted in ${elapsed} ms`);
    } finally {
      await slow.stop();
    }
  });
});
