/**
 * End to end on the Supabase backend: API → Temporal → worker, with rows in PostgreSQL through
 * the real PostgREST and images in the Storage test server. Runs where both a Temporal server and
 * PostgreSQL are available; otherwise skipped with the reason printed.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Persistence } from '../../src/persistence/ports.js';
import { createSupabasePersistence } from '../../src/persistence/supabase/index.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.js';
import { startSupabaseStack, supabaseStackUnavailable, type SupabaseStack } from '../support/supabase-stack.js';
import { describeTemporal, temporalTier, type TemporalTier } from '../support/temporal-env.js';

const postgresMissing = supabaseStackUnavailable();
const tier: TemporalTier = postgresMissing
  ? { skip: `end-to-end test on Supabase skipped: ${postgresMissing}` }
  : await temporalTier('end-to-end test on the Supabase backend');
if (postgresMissing) console.log(`# ${tier.skip}`);

describeTemporal(tier, 'end to end on the Supabase backend (PostgreSQL + PostgREST + Storage)', (env) => {
  let supabase: SupabaseStack;
  let persistence: Persistence;
  let stack: E2eStack;

  before(async () => {
    supabase = await startSupabaseStack();
    persistence = await createSupabasePersistence({ url: supabase.url, serviceRoleKey: supabase.serviceRoleKey }, { signedUrlTtlSeconds: 600 });
    stack = await startE2eStack(env, { image: createLocalImageProvider(), palette: createLocalPaletteProvider(), persistence });
  });

  after(async () => {
    await stack?.stop();
    await persistence?.close();
    await supabase?.stop();
    await env.teardown();
  });

  it('completes a generation whose rows are in PostgreSQL and whose images Storage serves', async () => {
    const started = await stack.post('/api/concepts/generate', {
      logo_description: 'Summit Coffee roasters, a mountain peak',
      theme_description: 'warm sunrise, earthy and friendly',
    });
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed', done.error_message ?? '');

    const taskId = started.body.task_id;
    assert.equal(await supabase.sql(`select status from tasks where id = '${taskId}'`), 'completed');
    assert.equal(await supabase.sql(`select count(*) from color_variations v join concepts c on c.id = v.concept_id where c.task_id = '${taskId}'`), '7');

    const concept = await stack.getConcept(done.result_id!);
    assert.ok(concept.image_url.startsWith(`${supabase.url}/storage/v1/object/sign/`), concept.image_url);
    await stack.fetchPng(concept.image_url);
    for (const variation of concept.color_variations) await stack.fetchPng(variation.image_url);
  });
});
