/**
 * POST /api/export/process: every format at every size from a real logo, SVG by tracing (paths
 * that redraw the logo, no embedded raster), the ways to name an image (the path the original
 * frontend reads out of an image URL, concept/variation ids), other users' images as 404, bad
 * requests as 400, and the export quota (counted per export, refunded when rendering fails).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import type { ConceptView } from '../../src/api/presenters.js';
import { BUCKETS } from '../../src/domain/concept.js';
import { renderLogoPng } from '../../src/imaging/logo/index.js';
import { authAs, createHarness, seedConcept, type Harness } from './harness.js';
import { storagePathFromImageUrl } from '../support/original-frontend.js';

const SIZES = { small: 500, medium: 1000, large: 2000 } as const;

/** Mean absolute difference per channel (0–255) of two images drawn at 128×128 on white. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const draw = (img: Buffer) => sharp(img).resize(128, 128, { fit: 'fill' }).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([draw(a), draw(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

const fillColours = (svg: string) => new Set([...svg.matchAll(/fill="(rgb\([^)]*\))"/g)].map((m) => m[1]));

describe('POST /api/export/process', () => {
  let h: Harness;
  let concept: ConceptView;
  let logo: Buffer;
  let otherLogo: Buffer;
  const alice = authAs('alice');
  const exportAs = (auth: Record<string, string>, body: Record<string, unknown>) => request(h.app).post('/api/export/process').set(auth).send(body);

  before(async () => {
    h = await createHarness({ withAuth: true, quotas: { generate: [], refine: [], export: [{ period: 'hour', limit: 40 }] } });
    const seeded = await seedConcept(h.persistence, 'alice', 2);
    logo = await renderLogoPng({ logoDescription: 'A fox made of circles', themeDescription: 'warm autumn forest' });
    otherLogo = await renderLogoPng({ logoDescription: 'Sailing club anchor', themeDescription: 'deep ocean navy' });
    await h.persistence.objects.put(seeded.image, logo, 'image/png');
    await h.persistence.objects.put({ bucket: BUCKETS.palettes, path: seeded.concept.color_variations[0]!.image_path }, otherLogo, 'image/png');
    concept = (await request(h.app).get(`/api/storage/concept/${seeded.concept.id}`).set(alice).expect(200)).body as ConceptView;
  });
  after(async () => {
    await h?.close();
  });

  for (const format of ['png', 'jpg'] as const) {
    for (const size of ['small', 'medium', 'large', 'original'] as const) {
      it(`exports ${format} at ${size} as a download of the right pixel size`, async () => {
        const res = await exportAs(alice, { concept_id: concept.id, target_format: format, target_size: size }).buffer(true).expect(200);
        assert.equal(res.headers['content-type'], format === 'png' ? 'image/png' : 'image/jpeg');
        assert.match(res.headers['content-disposition'] ?? '', new RegExp(`^attachment; filename="?concept-[0-9a-f]{8}-base-${size}\\.${format}"?$`));
        const meta = await sharp(res.body as Buffer).metadata();
        assert.equal(meta.format, format === 'png' ? 'png' : 'jpeg');
        const side = size === 'original' ? 1024 : SIZES[size];
        assert.deepEqual([meta.width, meta.height], [side, side]);
        assert.ok((await difference(res.body as Buffer, logo)) < 6, 'the same picture');
      });
    }
  }

  for (const size of ['small', 'medium', 'large', 'original'] as const) {
    it(`exports svg at ${size} as traced outlines that redraw the logo`, async () => {
      const res = await exportAs(alice, { concept_id: concept.id, target_format: 'svg', target_size: size }).buffer(true).expect(200);
      assert.equal(res.headers['content-type'], 'image/svg+xml');
      assert.match(res.headers['content-disposition'] ?? '', new RegExp(`^attachment; filename="?concept-[0-9a-f]{8}-base-${size}\\.svg"?$`));
      const svg = (res.body as Buffer).toString('utf8');
      const side = size === 'original' ? 1024 : SIZES[size];
      assert.match(svg, new RegExp(`^<\\?xml[^>]*>\\s*<svg width="${side}" height="${side}" viewBox="0 0 \\d+ \\d+"`));
      assert.doesNotMatch(svg, /<image|data:image|base64/i, 'no embedded raster');
      assert.ok((svg.match(/<path /g) ?? []).length >= 5, 'outlines');
      assert.ok(fillColours(svg).size >= 3, 'in colour');
      const meta = await sharp(Buffer.from(svg)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['svg', side, side]);
      const own = await difference(Buffer.from(svg), logo);
      assert.ok(own < 12, `the traced logo differs from the original by ${own.toFixed(1)}`);
      assert.ok(own < (await difference(Buffer.from(svg), otherLogo)) / 2, 'closer to its own logo than to another');
    });
  }

  it('traces two colours in binary mode', async () => {
    const res = await exportAs(alice, { concept_id: concept.id, target_format: 'svg', target_size: 'small', svg_params: { color_mode: 'binary' } }).expect(200);
    assert.ok(fillColours((res.body as Buffer).toString('utf8')).size <= 2);
  });

  it('takes the path the original frontend reads out of our image URLs, whichever bucket it guesses', async () => {
    const variation = concept.color_variations[0]!;
    const basePath = storagePathFromImageUrl(concept.image_url);
    const variationPath = storagePathFromImageUrl(variation.image_url);
    assert.equal(basePath, concept.image_path);
    assert.equal(variationPath, variation.image_path);
    for (const bucket of ['concept-images', 'palette-images']) {
      const res = await exportAs(alice, { image_identifier: variationPath, target_format: 'png', target_size: 'small', storage_bucket: bucket }).buffer(true).expect(200);
      assert.ok((await difference(res.body as Buffer, otherLogo)) < 6, `the variation image (bucket guess ${bucket})`);
    }
    const base = await exportAs(alice, { image_identifier: basePath, target_format: 'jpeg', target_size: 'small', svg_params: null }).buffer(true).expect(200);
    assert.ok((await difference(base.body as Buffer, logo)) < 6);
    const byIds = await exportAs(alice, { concept_id: concept.id, variation_id: variation.id, target_format: 'png' }).buffer(true).expect(200);
    assert.match(byIds.headers['content-disposition'] ?? '', /-variation-00-original\.png"?$/);
  });

  it('answers 404 for other users’ images and for images that do not exist, 400 for bad requests', async () => {
    const bob = authAs('bob');
    await exportAs(bob, { image_identifier: concept.image_path, target_format: 'png' }).expect(404);
    await exportAs(bob, { concept_id: concept.id, target_format: 'png' }).expect(404);
    await exportAs(bob, { image_identifier: `bob/../${concept.image_path}`, target_format: 'png' }).expect(404);
    await exportAs(alice, { image_identifier: 'alice/nothing/here.png', target_format: 'png' }).expect(404);
    await exportAs(alice, { concept_id: concept.id, variation_id: '00000000-0000-4000-8000-000000000000', target_format: 'png' }).expect(404);

    const bad = [
      { body: { image_identifier: concept.image_url, target_format: 'png' }, field: 'image_identifier' },
      { body: { concept_id: concept.id }, field: 'target_format' },
      { body: { concept_id: concept.id, target_format: 'gif' }, field: 'target_format' },
      { body: { concept_id: concept.id, target_format: 'png', target_size: 'huge' }, field: 'target_size' },
      { body: { image_identifier: concept.image_path, storage_bucket: 'secrets', target_format: 'png' }, field: 'storage_bucket' },
      { body: { target_format: 'png' }, field: 'image_identifier' },
      { body: { concept_id: concept.id, target_format: 'png', shell: 'rm -rf' }, field: 'shell' },
    ];
    for (const { body, field } of bad) {
      const res = await exportAs(alice, body).expect(400);
      const fields = (res.body as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
      assert.ok(fields.includes(field), `${JSON.stringify(body)} → ${fields.join(', ')}`);
    }
  });
});

describe('export quota', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ quotas: { generate: [], refine: [], export: [{ period: 'hour', limit: 2 }] } });
  });
  after(async () => {
    await h?.close();
  });

  it('counts each export, refunds one whose image cannot be decoded, and answers 429 past the limit', async () => {
    const { concept, image } = await seedConcept(h.persistence, 'local');
    const first = await request(h.app).post('/api/export/process').send({ concept_id: concept.id, target_format: 'png', target_size: 'small' }).expect(200);
    assert.deepEqual([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']], ['2', '1']);
    await request(h.app).post('/api/export/process').send({ concept_id: concept.id, target_format: 'svg', target_size: 'small' }).expect(200);
    const refused = await request(h.app).post('/api/export/process').send({ concept_id: concept.id, target_format: 'png' }).expect(429);
    assert.match((refused.body as { message: string }).message, /^Image export limit reached \(2\/2 per hour\)/);
    assert.ok(Number(refused.headers['retry-after']) >= 1);

    h.clock.offsetMs = 3_600_000;
    const truncated = (await h.persistence.objects.get(image)).bytes.subarray(0, 60);
    await h.persistence.objects.put(image, truncated, 'image/png');
    await request(h.app).post('/api/export/process').send({ concept_id: concept.id, target_format: 'png' }).expect(400);
    const status = await request(h.app).get('/api/health/rate-limits-status').expect(200);
    assert.equal((status.body as { limits: { export_action: { remaining: number } } }).limits.export_action.remaining, 2, 'the failed export was refunded');
  });
});
