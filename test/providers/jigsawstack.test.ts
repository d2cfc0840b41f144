/**
 * The JigsawStack providers against a local server speaking JigsawStack's wire format:
 * `POST /v1/ai/image_generation` (binary or JSON-with-URL answers, image-to-image refinement) and
 * `POST /v1/prompt_engine/run` (`{success, result}`), with `x-api-key` on every API call.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {
  ErrorType,
  InvalidImageError,
  ProviderAuthError,
  ProviderBadOutputError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from '../../src/domain/errors.js';
import { createJigsawStackImageProvider, createJigsawStackPaletteProvider, type JigsawStackSettings } from '../../src/providers/jigsawstack/index.js';
import { samplePalettes, solidImage } from '../support/provider-fixtures.js';
import { readJson, sendBytes, sendJson, stall, startProviderServer, type ProviderServer } from '../support/provider-server.js';

const IMAGE = '/v1/ai/image_generation';
const PROMPT_ENGINE = '/v1/prompt_engine/run';
const logo = { logoDescription: 'Harbor Lights sailing club', themeDescription: 'deep navy and brass, nautical' };
const paletteRequest = { ...logo, count: 4 };

describe('JigsawStack providers', () => {
  let server: ProviderServer;
  let settings: JigsawStackSettings;
  let png: Buffer;
  const images = (overrides: Partial<JigsawStackSettings> = {}) => createJigsawStackImageProvider({ ...settings, ...overrides });
  const palettes = (overrides: Partial<JigsawStackSettings> = {}) => createJigsawStackPaletteProvider({ ...settings, ...overrides });

  before(async () => {
    server = await startProviderServer();
    png = await solidImage('#336699');
  });
  beforeEach(() => {
    settings = { apiKey: 'js-test-key', baseUrl: server.origin, timeoutMs: 2000 };
  });
  after(() => server.stop());

  describe('image generation', () => {
    it('sends the logo prompt with the key, 1:1, 30 steps, guidance 7.5 and a negative prompt; takes a binary answer', async () => {
      server.on('POST', IMAGE, (_req, res) => sendBytes(res, png, 'image/png'));
      const image = await images().generateLogo(logo);
      assert.equal(images().name, 'jigsawstack');
      assert.ok(image.bytes.equals(png));
      assert.equal(image.contentType, 'image/png');

      const req = server.requestsTo(IMAGE).at(-1)!;
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['x-api-key'], 'js-test-key');
      assert.equal(req.headers.authorization, undefined);
      const body = readJson(req);
      assert.match(String(body.prompt), /Harbor Lights sailing club/);
      assert.match(String(body.prompt), /deep navy and brass, nautical/);
      assert.equal(body.aspect_ratio, '1:1');
      assert.equal(body.steps, 30);
      assert.match(String(body.negative_prompt), /blurry.*watermark/);
      assert.deepEqual(body.advance_config, { negative_prompt: body.negative_prompt, guidance: 7.5 });
    });

    it('takes a JSON answer pointing at the image ({url}, {image_url}, {data:[{url}]}, a data URL), downloading without the key', async () => {
      const jpeg = await solidImage('#aa5500', 'jpeg');
      server.on('GET', '/cdn/logo.jpg', (_req, res) => sendBytes(res, jpeg, 'image/jpeg'));
      const url = `${server.origin}/cdn/logo.jpg`;
      for (const answer of [{ url }, { image_url: url }, { data: [{ url }] }]) {
        server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, answer));
        const image = await images().generateLogo(logo);
        assert.ok(image.bytes.equals(jpeg), JSON.stringify(answer));
        assert.equal(image.contentType, 'image/jpeg');
      }
      assert.ok(server.requestsTo('/cdn/logo.jpg').every((r) => r.headers['x-api-key'] === undefined));
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, { url: `data:image/png;base64,${png.toString('base64')}` }));
      assert.ok((await images().generateLogo(logo)).bytes.equals(png), 'a data URL is decoded, not downloaded');
    });

    it('rejects answers that are not images, inline or downloaded, as retryable bad output', async () => {
      server.on('POST', IMAGE, (_req, res) => sendBytes(res, Buffer.from('GIF89a but not really'), 'image/gif'));
      await assert.rejects(images().generateLogo(logo), (err: unknown) => {
        assert.ok(err instanceof ProviderBadOutputError);
        assert.equal(err.retryable, true);
        assert.match(err.message, /JigsawStack returned something that is not a usable image/);
        return true;
      });
      server.on('GET', '/cdn/page.html', (_req, res) => sendBytes(res, Buffer.from('<html>oops</html>'), 'text/html'));
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, { url: `${server.origin}/cdn/page.html` }));
      await assert.rejects(images().generateLogo(logo), ProviderBadOutputError);
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, { success: true }));
      await assert.rejects(images().generateLogo(logo), /JigsawStack answered without an image/);
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, '{"url": "http://'));
      await assert.rejects(images().generateLogo(logo), /JigsawStack answered with malformed JSON/);
    });

    it('refines by image-to-image: the original inline as a PNG data URL, strength 0.7, the edit prompt', async () => {
      const refined = await solidImage('#884422');
      server.on('POST', IMAGE, (_req, res) => sendBytes(res, refined, 'image/png'));
      const original = await solidImage('#336699', 'jpeg', 96);
      const request = { ...logo, image: original, contentType: 'image/jpeg', prompt: 'make the waves bolder', preserveAspects: ['colors' as const] };
      const result = await images().refineLogo(request);
      assert.ok(result.bytes.equals(refined));
      assert.deepEqual(result.operations, ['provider edit: make the waves bolder']);

      const body = readJson(server.requestsTo(IMAGE).at(-1)!);
      assert.equal(body.strength, 0.7);
      assert.equal(body.aspect_ratio, '1:1');
      assert.match(String(body.prompt), /^Edit this logo: make the waves bolder\. .*Keep the colours of the original\./);
      const [prefix, data] = String(body.image).split(',');
      assert.equal(prefix, 'data:image/png;base64');
      const sent = await sharp(Buffer.from(data!, 'base64')).metadata();
      assert.deepEqual([sent.format, sent.width, sent.height], ['png', 96, 96]);
    });

    it('refuses a refinement whose original is not an image before calling the provider', async () => {
      const before = server.requests.length;
      const request = { ...logo, image: Buffer.from('nope'), contentType: 'image/png', prompt: 'darker', preserveAspects: [] };
      await assert.rejects(images().refineLogo(request), InvalidImageError);
      assert.equal(server.requests.length, before);
    });
  });

  describe('palettes', () => {
    it('runs the prompt engine for exactly N palettes of five hex colours and returns them', async () => {
      const expected = samplePalettes(4);
      server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 200, { success: true, result: { palettes: expected } }));
      assert.deepEqual(await palettes().generatePalettes(paletteRequest), expected);

      const req = server.requestsTo(PROMPT_ENGINE).at(-1)!;
      assert.equal(req.headers['x-api-key'], 'js-test-key');
      const body = readJson(req);
      assert.match(String(body.prompt), /exactly 4 distinct colour palettes/);
      assert.match(String(body.prompt), /exactly 5 colours as #rrggbb/);
      assert.match(String(body.prompt), /\{logo_description\}[\s\S]*\{theme_description\}/);
      assert.deepEqual(body.inputs, [
        { key: 'logo_description', optional: false },
        { key: 'theme_description', optional: false },
      ]);
      assert.deepEqual(body.input_values, { logo_description: logo.logoDescription, theme_description: logo.themeDescription });
      const shape = body.return_prompt as { palettes: { colors: string[] }[] };
      assert.equal(shape.palettes[0]?.colors.length, 5);
    });

    it('repairs a result given as text: fenced JSON, short hex, extra palettes', async () => {
      const raw = samplePalettes(6).map((p, i) => (i === 0 ? { ...p, colors: ['#000', '#333', '#666', '#999', '#ccc'] } : p));
      const text = `Here are your palettes:\n\`\`\`json\n${JSON.stringify(raw)}\n\`\`\``;
      server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 200, { success: true, result: text }));
      const result = await palettes().generatePalettes(paletteRequest);
      assert.equal(result.length, 4);
      assert.deepEqual(result[0]?.colors, ['#000000', '#333333', '#666666', '#999999', '#cccccc']);
    });

    it('rejects wrong shapes as retryable bad output: too few colours, bad hex, duplicates, too few palettes', async () => {
      const [a, b, c] = samplePalettes(3);
      const answers = [
        [a, b, c, { ...a!, colors: a!.colors.slice(0, 3) }],
        [a, b, c, { ...a!, name: 'Bad', colors: ['#12', '#gggggg', '#111111', '#222222', '#333333'] }],
        [a, b, c, { ...a!, name: 'Copy' }],
        [a, b],
        'no json here',
      ];
      for (const result of answers) {
        server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 200, { success: true, result }));
        await assert.rejects(palettes().generatePalettes(paletteRequest), (err: unknown) => {
          assert.ok(err instanceof ProviderBadOutputError, JSON.stringify(result));
          assert.equal(err.retryable, true);
          return true;
        });
      }
      server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 200, { success: false, message: 'engine hiccup' }));
      await assert.rejects(palettes().generatePalettes(paletteRequest), { message: 'JigsawStack answered without a result', detail: 'engine hiccup' });
    });
  });

  describe('failures', () => {
    it('429 with Retry-After → ProviderUnavailableError carrying the delay', async () => {
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 429, { success: false, message: 'Too many requests' }, { 'retry-after': '7' }));
      await assert.rejects(images().generateLogo(logo), (err: unknown) => {
        assert.ok(err instanceof ProviderUnavailableError);
        assert.equal(err.retryable, true);
        assert.equal(err.retryAfterMs, 7000);
        assert.equal(err.message, 'JigsawStack is limiting our request rate (HTTP 429)');
        assert.equal(err.detail, 'Too many requests');
        return true;
      });
    });

    it('500 is retryable, and the next attempt succeeds', async () => {
      // The provider does not loop: Temporal's activity retry policy makes the second attempt.
      let calls = 0;
      server.on('POST', PROMPT_ENGINE, (_req, res) =>
        ++calls === 1 ? sendJson(res, 500, { message: 'internal error' }) : sendJson(res, 200, { success: true, result: samplePalettes(4) }),
      );
      const provider = palettes();
      await assert.rejects(provider.generatePalettes(paletteRequest), { name: 'ProviderUnavailableError', retryable: true });
      assert.equal((await provider.generatePalettes(paletteRequest)).length, 4);
      assert.equal(calls, 2);
    });

    it('401 → ProviderAuthError, not retryable, naming JIGSAWSTACK_API_KEY', async () => {
      server.on('POST', PROMPT_ENGINE, (_req, res) => sendJson(res, 401, { success: false, message: 'Invalid API key' }));
      await assert.rejects(palettes({ apiKey: 'wrong' }).generatePalettes(paletteRequest), (err: unknown) => {
        assert.ok(err instanceof ProviderAuthError);
        assert.equal(err.type, ErrorType.ProviderAuth);
        assert.equal(err.retryable, false);
        assert.match(err.detail ?? '', /Check JIGSAWSTACK_API_KEY/);
        assert.ok(!err.message.includes('wrong'), 'the key never appears in messages');
        return true;
      });
    });

    it('400 and content-policy refusals → ProviderRejectedError', async () => {
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 400, { success: false, message: 'prompt is too long' }));
      await assert.rejects(images().generateLogo(logo), { name: 'ProviderRejectedError', message: /HTTP 400\)$/, detail: 'prompt is too long' });
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 400, { success: false, message: 'NSFW content detected in prompt' }));
      await assert.rejects(images().generateLogo(logo), (err: unknown) => {
        assert.ok(err instanceof ProviderRejectedError);
        assert.match(err.message, /content policy\. Rephrase/);
        return true;
      });
      server.on('POST', IMAGE, (_req, res) => sendJson(res, 200, { success: false, message: 'Image flagged by safety checker' }));
      await assert.rejects(images().generateLogo(logo), ProviderRejectedError);
    });

    it('a slow answer hits PROVIDER_TIMEOUT_MS → ProviderUnavailableError', async () => {
      server.on('POST', IMAGE, (_req, res) => stall(res, 5000));
      await assert.rejects(images({ timeoutMs: 200 }).generateLogo(logo), { name: 'ProviderUnavailableError', detail: /within 200 ms/ });
    });

    it('honours the caller abort signal', async () => {
      server.on('POST', PROMPT_ENGINE, (_req, res) => stall(res, 5000));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(palettes().generatePalettes(paletteRequest, controller.signal), { name: 'AbortError' });
    });

    it('accepts a base URL with a trailing slash or /v1 already on it', async () => {
      server.on('POST', IMAGE, (_req, res) => sendBytes(res, png, 'image/png'));
      for (const baseUrl of [`${server.origin}/`, `${server.origin}/v1`]) {
        const before = server.requestsTo(IMAGE).length;
        await images({ baseUrl }).generateLogo(logo);
        assert.equal(server.requestsTo(IMAGE).length, before + 1, baseUrl);
      }
    });
  });
});
