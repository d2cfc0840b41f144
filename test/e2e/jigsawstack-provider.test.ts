/**
 * End to end with the JigsawStack providers: the API starts a generation, the worker calls a
 * loopback server that speaks JigsawStack's wire format, and the stored concept is that server's
 * image recoloured with its palettes. Runs in the Temporal tier (skipped, with the reason printed,
 * where no Temporal server can be had).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { createJigsawStackImageProvider, createJigsawStackPaletteProvider } from '../../src/providers/jigsawstack/index.js';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.js';
import { IMAGE_GENERATION, JIGSAWSTACK_TEST_KEY, startJigsawStackServer, type JigsawStackServer } from '../support/jigsawstack-server.js';
import { describeTemporal, temporalTier } from '../support/temporal-env.js';

const tier = await temporalTier('end-to-end tests with the JigsawStack provider');

const rawPixels = (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer();

describeTemporal(tier, 'end to end with the JigsawStack providers on a local server', (env) => {
  let jigsawstack: JigsawStackServer;
  let stack: E2eStack;

  before(async () => {
    jigsawstack = await startJigsawStackServer(4);
    const settings = { apiKey: JIGSAWSTACK_TEST_KEY, baseUrl: jigsawstack.origin, timeoutMs: 10_000 };
    stack = await startE2eStack(env, { image: createJigsawStackImageProvider(settings), palette: createJigsawStackPaletteProvider(settings) });
  });

  after(async () => {
    await stack?.stop();
    await jigsawstack?.stop();
    await env.teardown();
  });

  it("completes a generation through the API with the server's image and palettes", async () => {
    const started = await stack.post('/api/concepts/generate', {
      logo_description: 'Harbor Lights sailing club',
      theme_description: 'deep navy and brass, nautical',
      num_palettes: 4,
    });
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed', done.error_message ?? '');

    const concept = await stack.getConcept(done.result_id!);
    const base = await stack.fetchPng(concept.image_url);
    assert.ok((await rawPixels(base)).equals(await rawPixels(jigsawstack.image)), "the base image is the server's");
    assert.deepEqual(
      concept.color_variations.map((v) => v.colors),
      jigsawstack.palettes.map((p) => p.colors),
    );
    for (const variation of concept.color_variations) await stack.fetchPng(variation.image_url);
    assert.equal(jigsawstack.requestsTo(IMAGE_GENERATION)[0]?.headers['x-api-key'], JIGSAWSTACK_TEST_KEY);
  });
});
