/**
 * A whole generation's data path on the Supabase backend: the activities, in the workflow's order,
 * write their rows through the real PostgREST into PostgreSQL and their images into Storage.
 * Skipped, with the reason printed, where PostgreSQL is not installed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createActivities } from '../../src/activities/index.js';
import { BUCKETS, objectPaths } from '../../src/domain/concept.js';
import { createLogger } from '../../src/logger.js';
import type { Persistence } from '../../src/persistence/ports.js';
import { createSupabasePersistence } from '../../src/persistence/supabase/index.js';
import { createLocalImageProvider, createLocalPaletteProvider } from '../../src/providers/local/index.js';
import { generateThroughActivities } from '../support/generation-activities.js';
import { startSupabaseStack, supabaseStackUnavailable, type SupabaseStack } from '../support/supabase-stack.js';

const unavailable = supabaseStackUnavailable();
if (unavailable) console.log(`# Supabase generation test skipped: ${unavailable}`);

describe('a generation on the Supabase backend (PostgreSQL + PostgREST + Storage)', { skip: unavailable ?? false }, () => {
  let stack: SupabaseStack;
  let persistence: Persistence;

  before(async () => {
    stack = await startSupabaseStack();
    persistence = await createSupabasePersistence({ url: stack.url, serviceRoleKey: stack.serviceRoleKey }, { signedUrlTtlSeconds: 60 });
  });
  after(async () => {
    await persistence?.close();
    await stack?.stop();
  });

  it('stores the task, the concept and 7 variations in PostgreSQL and the images in Storage', async () => {
    const acts = createActivities({
      persistence,
      imageProvider: createLocalImageProvider(),
      paletteProvider: createLocalPaletteProvider(),
      logger: createLogger('silent'),
    });
    const run = await generateThroughActivities(acts, persistence, {
      user_id: randomUUID(),
      logo_description: 'Summit Coffee roasters, a mountain peak',
      theme_description: 'warm sunrise, earthy and friendly',
      num_palettes: 7,
    });

    // Rows, read straight from PostgreSQL.
    assert.equal(await stack.sql(`select status || ' ' || result_id from tasks where id = '${run.task_id}'`), `completed ${run.concept_id}`);
    assert.equal(await stack.sql(`select task_id from concepts where id = '${run.concept_id}'`), run.task_id);
    assert.equal(await stack.sql(`select string_agg(position::text, ',' order by position) from color_variations where concept_id = '${run.concept_id}'`), '0,1,2,3,4,5,6');

    // Objects, read straight from the Storage server.
    const concepts = stack.storage.buckets.get(BUCKETS.concepts)!;
    const palettes = stack.storage.buckets.get(BUCKETS.palettes)!;
    const prefix = objectPaths.taskPrefix(run.user_id, run.task_id);
    assert.deepEqual([...concepts.keys()].filter((k) => k.startsWith(prefix)), [objectPaths.baseImage(run.user_id, run.task_id)]);
    assert.deepEqual(
      [...palettes.keys()].filter((k) => k.startsWith(prefix)).sort(),
      Array.from({ length: 7 }, (_, i) => objectPaths.variation(run.user_id, run.task_id, i)),
    );

    // And the concept as the API reads it, with a signed URL that serves the PNG.
    const concept = await persistence.concepts.get(run.concept_id, run.user_id);
    const url = await persistence.objects.signedUrl({ bucket: BUCKETS.palettes, path: concept!.color_variations[6]!.image_path }, 60);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).format, 'png');
  });
});
