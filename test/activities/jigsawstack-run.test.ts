/**
 * A generation's activities, in the workflow's order, with the JigsawStack providers pointed at a
 * loopback server that speaks its wire format: the stored concept is made from that server's image
 * and palettes. (The same run through API + Temporal is in test/e2e, on machines with a server.)
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createActivities, type ConceptActivities } from '../../src/activities/index.js';
import { BUCKETS, objectPaths } from '../../src/domain/concept.js';
import { createLogger } from '../../src/logger.js';
import { createEmbeddedPersistence, type EmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import { createProviders } from '../../src/providers/index.js';
import { generateThroughActivities } from '../support/generation-activities.js';
import { IMAGE_GENERATION, JIGSAWSTACK_TEST_KEY, PROMPT_ENGINE, startJigsawStackServer, type JigsawStackServer } from '../support/jigsawstack-server.js';

const rawPixels = async (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer();

describe('a generation with the JigsawStack providers (activities in workflow order)', () => {
  let server: JigsawStackServer;
  let persistence: EmbeddedPersistence;
  let acts: ConceptActivities;

  before(async () => {
    server = await startJigsawStackServer(3);
    persistence = await createEmbeddedPersistence({ dataDir: ':memory:', publicBaseUrl: 'http://127.0.0.1:9' });
    const jigsawstack = { apiKey: JIGSAWSTACK_TEST_KEY, baseUrl: server.origin };
    const providers = createProviders({
      image: 'jigsawstack',
      palette: 'jigsawstack',
      timeoutMs: 10_000,
      jigsawstack,
      openai: { apiKey: undefined, baseUrl: 'http://127.0.0.1:9', imageModel: 'm', chatModel: 'm' },
    });
    acts = createActivities({ persistence, imageProvider: providers.image, paletteProvider: providers.palette, logger: createLogger('silent') });
  });
  after(async () => {
    await persistence?.close();
    await server?.stop();
  });

  it("stores a concept made of the server's image and palettes", async () => {
    const { task_id, user_id, concept_id: conceptId } = await generateThroughActivities(acts, persistence, {
      user_id: `user-${randomUUID()}`,
      logo_description: 'Harbor Lights sailing club',
      theme_description: 'deep navy and brass',
      num_palettes: 3,
    });

    // The provider was called as JigsawStack expects, with the key.
    const [imageCall] = server.requestsTo(IMAGE_GENERATION);
    assert.equal(imageCall?.headers['x-api-key'], JIGSAWSTACK_TEST_KEY);
    assert.equal(server.requestsTo(PROMPT_ENGINE).length, 1);

    // The concept is the server's image, recoloured with the server's palettes.
    const task = await persistence.tasks.get(task_id);
    assert.equal(task?.status, 'completed');
    const concept = await persistence.concepts.get(conceptId, user_id);
    assert.equal(concept?.image_path, objectPaths.baseImage(user_id, task_id));
    const stored = await persistence.objects.get({ bucket: BUCKETS.concepts, path: concept!.image_path });
    assert.ok((await rawPixels(stored.bytes)).equals(await rawPixels(server.image)), 'the base image is the provider’s image');
    assert.deepEqual(
      concept?.color_variations.map((v) => v.colors),
      server.palettes.map((p) => p.colors),
    );
    for (const variation of concept!.color_variations) {
      const bytes = (await persistence.objects.get({ bucket: BUCKETS.palettes, path: variation.image_path })).bytes;
      assert.equal((await sharp(bytes).metadata()).width, 256);
      assert.ok(!(await rawPixels(bytes)).equals(await rawPixels(server.image)), 'each variation is recoloured');
    }
  });
});
