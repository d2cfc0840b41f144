/**
 * End to end: the real worker and the real API (over HTTP on loopback) against the Temporal test
 * environment and the embedded backend on disk. POST a generation, follow its SSE stream to
 * `done`, check the stored concept and fetch its files; then refine it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
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
});
