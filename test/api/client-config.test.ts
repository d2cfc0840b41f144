/** CORS_ORIGINS and QUOTA_* configuration: defaults, parsing, refusals, and the app honouring them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError, DEFAULT_CORS_ORIGINS, loadConfig } from '../../src/config.js';
import { createHarness, type Harness } from './harness.js';

describe('client configuration', () => {
  it('allows the Vite dev and preview origins on this machine by default, and takes a list of exact origins', () => {
    assert.deepEqual(loadConfig({}).corsOrigins, ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://localhost:4173', 'http://127.0.0.1:4173']);
    assert.deepEqual(loadConfig({ CORS_ORIGINS: ' https://App.Example.com , http://localhost:3001/ ' }).corsOrigins, [
      'https://app.example.com',
      'http://localhost:3001',
    ]);
  });

  it('refuses anything that is not an origin, naming the variable', () => {
    for (const bad of ['*', 'https://app.example.com/path', 'ftp://files.example.com', 'app.example.com', 'https://user:pw@app.example.com']) {
      assert.throws(() => loadConfig({ CORS_ORIGINS: bad }), (err: unknown) => err instanceof ConfigError && /CORS_ORIGINS/.test(err.message), bad);
    }
  });

  it('has hourly and monthly quotas per category, 0 turning a window off', () => {
    assert.deepEqual(loadConfig({}).quotas, {
      generate: [
        { period: 'hour', limit: 10 },
        { period: 'month', limit: 100 },
      ],
      refine: [
        { period: 'hour', limit: 10 },
        { period: 'month', limit: 100 },
      ],
      export: [
        { period: 'hour', limit: 50 },
        { period: 'month', limit: 1000 },
      ],
    });
    const custom = loadConfig({ QUOTA_GENERATE_PER_HOUR: '0', QUOTA_GENERATE_PER_MONTH: '10', QUOTA_EXPORT_PER_HOUR: '0', QUOTA_EXPORT_PER_MONTH: '0' }).quotas;
    assert.deepEqual(custom.generate, [{ period: 'month', limit: 10 }]);
    assert.deepEqual(custom.export, []);
    assert.throws(() => loadConfig({ QUOTA_REFINE_PER_HOUR: '-1' }), /QUOTA_REFINE_PER_HOUR/);
    assert.throws(() => loadConfig({ QUOTA_REFINE_PER_MONTH: 'lots' }), /QUOTA_REFINE_PER_MONTH/);
  });
});

describe('CORS with configured origins', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ corsOrigins: loadConfig({ CORS_ORIGINS: 'https://app.example.com' }).corsOrigins });
  });
  after(async () => {
    await h?.close();
  });

  it('serves the configured origin, on errors too, and no longer the defaults', async () => {
    const ok = await request(h.app).get('/api/tasks/not-a-task').set('Origin', 'https://app.example.com').expect(404);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(ok.headers.vary ?? '', /Origin/);
    const other = await request(h.app).get('/api/health').set('Origin', DEFAULT_CORS_ORIGINS[0]!).expect(200);
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});
