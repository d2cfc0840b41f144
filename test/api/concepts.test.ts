/** Reading concepts: the §8 shape, fresh signed URLs that resolve back to the stored objects, isolation. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { ConceptView } from '../../src/api/presenters.js';
import { BUCKETS } from '../../src/domain/concept.js';
import { authAs, createHarness, PUBLIC_BASE_URL, seedConcept, type Harness } from './harness.js';

describe('concepts API', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ withAuth: true });
  });
  after(async () => {
    await h?.close();
  });

  it('returns one concept with its variations in order and fresh signed URLs', async () => {
    const { concept, image } = await seedConcept(h.persistence, 'carol', 3);
    const res = await request(h.app).get(`/api/concepts/${concept.id}`).set(authAs('carol')).expect(200);
    const view = res.body as ConceptView;
    assert.deepEqual(Object.keys(view).sort(), [
      'color_variations',
      'created_at',
      'id',
      'image_path',
      'image_url',
      'logo_description',
      'original_concept_id',
      'refinement_prompt',
      'task_id',
      'theme_description',
    ]);
    assert.equal(view.id, concept.id);
    assert.equal(view.task_id, concept.task_id);
    assert.equal(view.logo_description, 'A stored fox logo');
    assert.ok(view.image_url.startsWith(`${PUBLIC_BASE_URL}/`), view.image_url);
    assert.deepEqual(h.persistence.objects.resolveUrl(view.image_url), image);
    assert.equal(view.image_path, image.path);

    assert.deepEqual(
      view.color_variations.map((v) => v.palette_name),
      ['Palette 1', 'Palette 2', 'Palette 3'],
    );
    for (const [i, v] of view.color_variations.entries()) {
      assert.deepEqual(Object.keys(v).sort(), ['colors', 'description', 'id', 'image_path', 'image_url', 'palette_name']);
      assert.equal(v.id, concept.color_variations[i]!.id);
      assert.equal(v.colors.length, 5);
      assert.deepEqual(h.persistence.objects.resolveUrl(v.image_url), { bucket: BUCKETS.palettes, path: concept.color_variations[i]!.image_path });
    }
  });

  it("answers 404 for another user's concept, a missing one and a non-UUID", async () => {
    const { concept } = await seedConcept(h.persistence, 'dave', 1);
    await request(h.app).get(`/api/concepts/${concept.id}`).set(authAs('mallory')).expect(404);
    await request(h.app).get(`/api/concepts/${randomUUID()}`).set(authAs('dave')).expect(404);
    await request(h.app).get('/api/concepts/latest').set(authAs('dave')).expect(404);
  });

  it("lists the user's concepts newest first with signed URLs, honouring limit", async () => {
    const first = await seedConcept(h.persistence, 'erin', 1);
    const second = await seedConcept(h.persistence, 'erin', 2);
    await seedConcept(h.persistence, 'frank', 1);
    const all = (await request(h.app).get('/api/concepts').set(authAs('erin')).expect(200)).body as { concepts: ConceptView[] };
    assert.deepEqual(
      all.concepts.map((c) => c.id),
      [second.concept.id, first.concept.id],
    );
    assert.equal(all.concepts[0]!.color_variations.length, 2);
    assert.deepEqual(h.persistence.objects.resolveUrl(all.concepts[0]!.image_url), second.image);
    const one = (await request(h.app).get('/api/concepts?limit=1').set(authAs('erin')).expect(200)).body as { concepts: ConceptView[] };
    assert.deepEqual(
      one.concepts.map((c) => c.id),
      [second.concept.id],
    );
  });
});
