/**
 * The OpenAI-compatible providers against a local server speaking the OpenAI wire format:
 * `/v1/images/generations` (b64_json or url), `/v1/images/edits` (multipart), `/v1/chat/completions`
 * (JSON mode), with `Authorization: Bearer` on every API call.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ProviderAuthError, ProviderBadOutputError, ProviderRejectedError, ProviderUnavailableError } from '../../src/domain/errors.js';
import { createOpenAiImageProvider, createOpenAiPaletteProvider, type OpenAiSettings } from '../../src/providers/openai/index.js';
import { samplePalettes, solidImage } from '../support/provider-fixtures.js';
import { readForm, readJson, sendJson, sendBytes, stall, startProviderServer, type ProviderServer } from '../support/provider-server.js';

const GENERATIONS = '/v1/images/generations';
const EDITS = '/v1/images/edits';
const CHAT = '/v1/chat/completions';
const logo = { logoDescription: 'Pixel Forge game studio', themeDescription: 'retro arcade, neon magenta and cyan' };
const paletteRequest = { ...logo, count: 3 };

/** A chat completion whose first choice says `content` (or refuses, or stops early). */
const completion = (content: string | null, extra: { refusal?: string; finish_reason?: string } = {}) => ({
  id: 'chatcmpl-test',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content, refusal: extra.refusal ?? null }, finish_reason: extra.finish_reason ?? 'stop' }],
});

describe('OpenAI-compatible providers', () => {
  let server: ProviderServer;
  let settings: OpenAiSettings;
  let png: Buffer;
  const images = (overrides: Partial<OpenAiSettings> = {}) => createOpenAiImageProvider({ ...settings, ...overrides });
  const palettes = (overrides: Partial<OpenAiSettings> = {}) => createOpenAiPaletteProvider({ ...settings, ...overrides });

  before(async () => {
    server = await startProviderServer();
    png = await solidImage('#cc2288');
  });
  beforeEach(() => {
    settings = { apiKey: 'sk-test', baseUrl: server.origin, timeoutMs: 2000, imageModel: 'image-model-x', chatModel: 'chat-model-y' };
  });
  after(() => server.stop());

  describe('images', () => {
    it('generates with {model, prompt, n: 1, size: 1024x1024} and a Bearer key; reads data[0].b64_json', async () => {
      server.on('POST', GENERATIONS, (_req, res) => sendJson(res, 200, { created: 1, data: [{ b64_json: png.toString('base64') }] }));
      const image = await images().generateLogo(logo);
      assert.equal(images().name, 'openai');
      assert.ok(image.bytes.equals(png));
      assert.equal(image.contentType, 'image/png');

      const req = server.requestsTo(GENERATIONS).at(-1)!;
      assert.equal(req.headers.authorization, 'Bearer sk-test');
      const body = readJson(req);
      assert.deepEqual(Object.keys(body).sort(), ['model', 'n', 'prompt', 'size']);
      assert.equal(body.model, 'image-model-x');
      assert.equal(body.n, 1);
      assert.equal(body.size, '1024x1024');
      assert.match(String(body.prompt), /Pixel Forge game studio.*retro arcade, neon magenta and cyan/);
    });

    it('reads data[0].url and downloads it without the key', async () => {
      server.on('GET', '/blob/img-1.png', (_req, res) => sendBytes(res, png, 'image/png'));
      server.on('POST', GENERATIONS, (_req, res) => sendJson(res, 200, { data: [{ url: `${server.origin}/blob/img-1.png` }] }));
      const image = await images().generateLogo(logo);
      assert.ok(image.bytes.equals(png));
      assert.equal(server.requestsTo('/blob/img-1.png').at(-1)?.headers.authorization, undefined);
    });

    it('edits with multipart/form-data: model, prompt, n, size and the original as a PNG file', async () => {
      const edited = await solidImage('#22cc88');
      server.on('POST', EDITS, (_req, res) => sendJson(res, 200, { data: [{ b64_json: edited.toString('base64') }] }));
      const original = await solidImage('#cc2288', 'jpeg', 80);
      const request = { ...logo, image: original, contentType: 'image/jpeg', prompt: 'add a pixel sword', preserveAspects: ['layout' as const, 'style' as const] };
      const result = await images().refineLogo(request);
      assert.ok(result.bytes.equals(edited));
      assert.deepEqual(result.operations, ['provider edit: add a pixel sword']);

      const req = server.requestsTo(EDITS).at(-1)!;
      assert.equal(req.headers.authorization, 'Bearer sk-test');
      assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
      const form = await readForm(req);
      assert.equal(form.get('model'), 'image-model-x');
      assert.equal(form.get('n'), '1');
      assert.equal(form.get('size'), '1024x1024');
      assert.match(String(form.get('prompt')), /^Edit this logo: add a pixel sword\..*Keep the layout and composition and visual style of the original\./);
      const file = form.get('image') as File;
      assert.equal(file.type, 'image/png');
      assert.equal(file.name, 'logo.png');
      const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 80, 80]);
    });

    it('rejects an answer without an image or with a non-image as bad output', async () => {
      server.on('POST', GENERATIONS, (_req, res) => sendJson(res, 200, { data: [] }));
      await assert.rejects(images().generateLogo(logo), { name: 'ProviderBadOutputError', message: /answered without an image/ });
      server.on('POST', GENERATIONS, (_req, res) => sendJson(res, 200, { data: [{ b64_json: Buffer.from('not an image').toString('base64') }] }));
      await assert.rejects(images().generateLogo(logo), { name: 'ProviderBadOutputError', message: /not a usable image/ });
    });

    it('400 content_policy_violation → ProviderRejectedError the user can act on', async () => {
      server.on('POST', GENERATIONS, (_req, res) =>
        sendJson(res, 400, {
          error: { code: 'content_policy_violation', type: 'invalid_request_error', message: 'Your request was rejected as a result of our safety system.' },
        }),
      );
      await assert.rejects(images().generateLogo(logo), (err: unknown) => {
        assert.ok(err instanceof ProviderRejectedError);
        assert.equal(err.retryable, false);
        assert.match(err.message, /refused this request under its content policy\. Rephrase/);
        assert.match(err.detail ?? '', /Your request was rejected/);
        return true;
      });
    });
  });

  describe('palettes', () => {
    it('asks chat completions in JSON mode with a system and a user message; parses message.content', async () => {
      const expected = samplePalettes(3);
      server.on('POST', CHAT, (_req, res) => sendJson(res, 200, completion(JSON.stringify({ palettes: expected }))));
      assert.deepEqual(await palettes().generatePalettes(paletteRequest), expected);
      assert.equal(palettes().name, 'openai');

      const req = server.requestsTo(CHAT).at(-1)!;
      assert.equal(req.headers.authorization, 'Bearer sk-test');
      const body = readJson(req) as { model: string; response_format: unknown; messages: { role: string; content: string }[] };
      assert.equal(body.model, 'chat-model-y');
      assert.deepEqual(body.response_format, { type: 'json_object' });
      assert.deepEqual(body.messages.map((m) => m.role), ['system', 'user']);
      assert.match(body.messages[0]!.content, /exactly 3 distinct colour palettes[\s\S]*Answer with JSON only, in this shape: \{"palettes"/);
      assert.equal(body.messages[1]!.content, `Logo: ${logo.logoDescription}\nTheme: ${logo.themeDescription}`);
    });

    it('repairs fenced JSON with 3-digit hex', async () => {
      const raw = samplePalettes(3).map((p, i) => (i === 2 ? { ...p, colors: ['#FA0', '0AF', '#123', '#456', '#789'] } : p));
      server.on('POST', CHAT, (_req, res) => sendJson(res, 200, completion(`\`\`\`json\n${JSON.stringify({ palettes: raw })}\n\`\`\``)));
      const result = await palettes().generatePalettes(paletteRequest);
      assert.deepEqual(result[2]?.colors, ['#ffaa00', '#00aaff', '#112233', '#445566', '#778899']);
    });

    it('rejects malformed JSON, a wrong envelope and too few palettes as retryable bad output', async () => {
      const answers = [
        { status: 200, body: '{"choices": [' },
        { status: 200, body: { choices: [] } },
        { status: 200, body: completion('{"palettes": [') },
        { status: 200, body: completion(JSON.stringify({ palettes: samplePalettes(2) })) },
        { status: 200, body: completion(null) },
        { status: 200, body: completion('{"palettes": [', { finish_reason: 'length' }) },
      ];
      for (const answer of answers) {
        server.on('POST', CHAT, (_req, res) => sendJson(res, answer.status, answer.body));
        await assert.rejects(palettes().generatePalettes(paletteRequest), (err: unknown) => {
          assert.ok(err instanceof ProviderBadOutputError, `${JSON.stringify(answer.body)} → ${String(err)}`);
          return true;
        });
      }
    });

    it('a model refusal or a content-filter stop → ProviderRejectedError', async () => {
      for (const body of [completion(null, { refusal: "I'm sorry, I can't help with that." }), completion('', { finish_reason: 'content_filter' })]) {
        server.on('POST', CHAT, (_req, res) => sendJson(res, 200, body));
        await assert.rejects(palettes().generatePalettes(paletteRequest), ProviderRejectedError);
      }
    });
  });

  describe('failures and configuration', () => {
    it('429 with an HTTP-date Retry-After → ProviderUnavailableError with retryAfterMs', async () => {
      const at = new Date(Date.now() + 30_000).toUTCString();
      server.on('POST', CHAT, (_req, res) => sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'requests' } }, { 'retry-after': at }));
      await assert.rejects(palettes().generatePalettes(paletteRequest), (err: unknown) => {
        assert.ok(err instanceof ProviderUnavailableError);
        assert.ok(err.retryAfterMs! > 27_000 && err.retryAfterMs! <= 30_000, String(err.retryAfterMs));
        return true;
      });
    });

    it('503 is retryable, and the next attempt succeeds', async () => {
      // The provider does not loop: Temporal's activity retry policy makes the second attempt.
      let calls = 0;
      server.on('POST', GENERATIONS, (_req, res) =>
        ++calls === 1 ? sendJson(res, 503, { error: { message: 'overloaded' } }) : sendJson(res, 200, { data: [{ b64_json: png.toString('base64') }] }),
      );
      const provider = images();
      await assert.rejects(provider.generateLogo(logo), { name: 'ProviderUnavailableError', retryable: true });
      assert.ok((await provider.generateLogo(logo)).bytes.equals(png));
    });

    it('401 → ProviderAuthError naming OPENAI_API_KEY', async () => {
      server.on('POST', CHAT, (_req, res) => sendJson(res, 401, { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }));
      await assert.rejects(palettes().generatePalettes(paletteRequest), (err: unknown) => {
        assert.ok(err instanceof ProviderAuthError);
        assert.equal(err.retryable, false);
        assert.match(err.detail ?? '', /Check OPENAI_API_KEY\./);
        return true;
      });
    });

    it('a slow answer hits the timeout; an aborted caller gets an AbortError', async () => {
      server.on('POST', EDITS, (_req, res) => stall(res, 5000));
      const request = { ...logo, image: png, contentType: 'image/png', prompt: 'brighter', preserveAspects: [] };
      await assert.rejects(images({ timeoutMs: 200 }).refineLogo(request), { name: 'ProviderUnavailableError', detail: /within 200 ms/ });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(images().refineLogo(request, controller.signal), { name: 'AbortError' });
    });

    it('works against a self-hosted server under a path prefix, with or without /v1 in the base URL', async () => {
      server.on('POST', '/llm/v1/chat/completions', (_req, res) => sendJson(res, 200, completion(JSON.stringify(samplePalettes(3)))));
      for (const baseUrl of [`${server.origin}/llm`, `${server.origin}/llm/v1/`]) {
        assert.equal((await palettes({ baseUrl }).generatePalettes(paletteRequest)).length, 3, baseUrl);
      }
      assert.equal(server.requestsTo('/llm/v1/chat/completions').length, 2);
    });
  });
});
