/**
 * The web page as the API serves it (src/api/web.ts) from a built folder: cache headers, the CSP,
 * the history fallback that never swallows /api or /files, the runtime config, the unbuilt case,
 * and the settings bootstrap derives from configuration.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { webOptions } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { WebOptions } from '../../src/api/web.js';
import { createHarness, type Harness } from './harness.js';

const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>';

function builtPage(): string {
  const root = mkdtempSync(join(tmpdir(), 'cf-web-root-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("page")');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}

const options = (root: string): WebOptions => ({
  root,
  client: { auth: { required: false, supabase_url: null, supabase_anon_key: null } },
  imageOrigins: ['http://127.0.0.1:3000'],
  connectOrigins: [],
});

describe('web page served by the API', () => {
  let harness: Harness;
  let root: string;

  before(async () => {
    root = builtPage();
    harness = await createHarness({ web: options(root) });
  });
  after(async () => {
    await harness.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache, the page CSP and the usual security headers', async () => {
    const res = await request(harness.app).get('/').expect(200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.equal(res.text, INDEX);
    assert.equal(res.headers['cache-control'], 'no-cache');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /img-src 'self' blob: http:\/\/127\.0\.0\.1:3000;/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('answers page paths with index.html (history routing), not names with an extension', async () => {
    for (const path of ['/concepts', '/concepts/0b8e0000-0000-4000-8000-000000000000', '/runs/abc', '/anything/else']) {
      const res = await request(harness.app).get(path).expect(200);
      assert.equal(res.text, INDEX, path);
    }
    const missing = await request(harness.app).get('/assets/gone-123.js').expect(404);
    assert.equal(missing.body.error.code, 'not_found');
  });

  it('caches hashed assets for a year and other files for no time', async () => {
    const asset = await request(harness.app).get('/assets/index-abc123.js').expect(200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(asset.headers['content-type']), /javascript/);
    const icon = await request(harness.app).get('/favicon.svg').expect(200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('leaves /api and /files to the API: JSON answers, never the page', async () => {
    const unknown = await request(harness.app).get('/api/nothing-here').expect(404);
    assert.equal(unknown.body.error.code, 'not_found');
    const list = await request(harness.app).get('/api/concepts').expect(200);
    assert.deepEqual(list.body.concepts, []);
    assert.equal(list.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
    // Unsigned object paths: refused (403) or unknown (404) by the API, as JSON, never the page.
    for (const path of ['/files/concept-images/local/x.png', '/storage/v1/object/sign/concept-images/local', '/api']) {
      const res = await request(harness.app).get(path);
      assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
      assert.match(String(res.headers['content-type']), /application\/json/, path);
      assert.equal(typeof res.body.error.code, 'string', path);
    }
    const post = await request(harness.app).post('/').expect(404);
    assert.equal(post.body.error.code, 'not_found');
  });

  it('tells the page how to sign in at /app-config.json, never cached', async () => {
    const res = await request(harness.app).get('/app-config.json').expect(200);
    assert.deepEqual(res.body, { auth: { required: false, supabase_url: null, supabase_anon_key: null } });
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('web page not built', () => {
  it('answers page paths with 503 saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cf-web-empty-'));
    const harness = await createHarness({ web: options(empty) });
    try {
      const res = await request(harness.app).get('/').expect(503);
      assert.match(res.text, /npm run build:web/);
      await request(harness.app).get('/api/health').expect(200);
    } finally {
      await harness.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('webOptions from configuration', () => {
  it('without API auth: no sign-in, images from PUBLIC_BASE_URL', () => {
    const web = webOptions(loadConfig({ PORT: '4000', SUPABASE_ANON_KEY: 'anon', SUPABASE_AUTH_URL: 'https://auth.example.test' }), '/r');
    assert.deepEqual(web.client, { auth: { required: false, supabase_url: null, supabase_anon_key: null } });
    assert.deepEqual(web.imageOrigins, ['http://127.0.0.1:4000']);
    assert.deepEqual(web.connectOrigins, []);
  });

  it('with API auth: the Supabase project and anon key for anonymous sign-in, its origins allowed', () => {
    const config = loadConfig({
      SUPABASE_JWT_SECRET: 'secret-with-enough-characters-for-hs256!',
      SUPABASE_URL: 'https://proj.supabase.example.test/',
      SUPABASE_SERVICE_ROLE_KEY: 'service-role',
      SUPABASE_ANON_KEY: 'anon-key',
      PUBLIC_BASE_URL: 'https://concepts.example.test',
    });
    const web = webOptions(config, '/r');
    assert.deepEqual(web.client, { auth: { required: true, supabase_url: 'https://proj.supabase.example.test', supabase_anon_key: 'anon-key' } });
    assert.deepEqual(web.imageOrigins, ['https://concepts.example.test', 'https://proj.supabase.example.test']);
    assert.deepEqual(web.connectOrigins, ['https://proj.supabase.example.test']);
  });

  it('with API auth but no anon key: the page is told, and says what to set', () => {
    const web = webOptions(loadConfig({ SUPABASE_JWKS_URL: 'https://auth.example.test/jwks' }), '/r');
    assert.deepEqual(web.client.auth, { required: true, supabase_url: null, supabase_anon_key: null });
  });
});
