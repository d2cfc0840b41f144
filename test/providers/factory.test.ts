/** The provider factory: local by default, each kind chosen independently, keys required, fetch injectable. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createProviders, type ProviderConfig } from '../../src/providers/index.js';
import { solidImage } from '../support/provider-fixtures.js';

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  image: 'local',
  palette: 'local',
  timeoutMs: 1000,
  jigsawstack: { apiKey: 'js-key', baseUrl: 'http://jigsawstack.invalid' },
  openai: { apiKey: 'sk-key', baseUrl: 'http://openai.invalid/v1', imageModel: 'img', chatModel: 'chat' },
  ...overrides,
});

describe('createProviders', () => {
  it('uses the local providers by default', () => {
    const providers = createProviders(loadConfig({}).providers);
    assert.equal(providers.image.name, 'local');
    assert.equal(providers.palette.name, 'local');
  });

  it('chooses the image and palette providers independently', () => {
    const mixed = createProviders(config({ image: 'openai', palette: 'jigsawstack' }));
    assert.deepEqual([mixed.image.name, mixed.palette.name], ['openai', 'jigsawstack']);
    const other = createProviders(config({ image: 'jigsawstack', palette: 'openai' }));
    assert.deepEqual([other.image.name, other.palette.name], ['jigsawstack', 'openai']);
  });

  it('throws a ConfigError naming the variable when a chosen provider has no key', () => {
    const noKeys = config({ jigsawstack: { apiKey: undefined, baseUrl: 'http://x.invalid' } });
    assert.throws(() => createProviders({ ...noKeys, palette: 'jigsawstack' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /PALETTE_PROVIDER=jigsawstack needs JIGSAWSTACK_API_KEY/);
      return true;
    });
    const noOpenAiKey = config({ image: 'openai', openai: { ...config().openai, apiKey: undefined } });
    assert.throws(() => createProviders(noOpenAiKey), /IMAGE_PROVIDER=openai needs OPENAI_API_KEY/);
    assert.doesNotThrow(() => createProviders(noKeys), 'keys of unused providers are not needed');
  });

  it('refuses a base URL that is not http(s) at start-up', () => {
    assert.throws(() => createProviders(config({ image: 'jigsawstack', jigsawstack: { apiKey: 'k', baseUrl: 'api.jigsawstack' } })), /not a URL/);
  });

  it('sends the HTTP providers through the injected fetch', async () => {
    const png = await solidImage('#123456');
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return Response.json({ data: [{ b64_json: png.toString('base64') }] });
    };
    const { image } = createProviders(config({ image: 'openai' }), { fetch: fakeFetch });
    const made = await image.generateLogo({ logoDescription: 'Acme', themeDescription: 'bold red' });
    assert.ok(made.bytes.equals(png));
    assert.deepEqual(calls, ['http://openai.invalid/v1/images/generations']);
  });
});
