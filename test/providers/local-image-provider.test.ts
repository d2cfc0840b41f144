/**
 * The local image provider: procedural logo as PNG, refinement through the prompt-driven
 * operations, input checked before any pixel work, cancellation honoured.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ErrorType, InvalidImageError } from '../../src/domain/errors.js';
import { createLocalImageProvider } from '../../src/providers/local/index.js';

const provider = createLocalImageProvider();
const logo = { logoDescription: 'Bean There coffee roasters', themeDescription: 'warm earthy coffee tones' };

describe('local image provider', () => {
  it('is named local and generates a deterministic 1024×1024 PNG logo', async () => {
    assert.equal(provider.name, 'local');
    const a = await provider.generateLogo(logo);
    const b = await provider.generateLogo(logo);
    assert.equal(a.contentType, 'image/png');
    assert.ok(a.bytes.equals(b.bytes));
    const meta = await sharp(a.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1024, 1024]);
  });

  it('refines an image by its prompt, honouring preserved aspects, and says what it did', async () => {
    const { bytes } = await provider.generateLogo(logo);
    const request = { image: bytes, contentType: 'image/png', prompt: 'rotate it and make it darker', ...logo };
    const free = await provider.refineLogo({ ...request, preserveAspects: [] });
    assert.deepEqual(free.operations, ['rotated 90°', 'darker']);
    assert.equal(free.contentType, 'image/png');
    const meta = await sharp(free.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1024, 1024]);
    assert.ok(!free.bytes.equals(bytes));

    const kept = await provider.refineLogo({ ...request, preserveAspects: ['layout'] });
    assert.deepEqual(kept.operations, ['darker']);
  });

  it('refines images of other formats and sizes, answering PNG at the input size', async () => {
    const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
    const refined = await provider.refineLogo({ image: jpeg, contentType: 'image/jpeg', prompt: 'warmer please', ...logo, preserveAspects: [] });
    const meta = await sharp(refined.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 300, 200]);
  });

  it('rejects bytes that are not an image as a non-retryable InvalidImageError', async () => {
    await assert.rejects(
      provider.refineLogo({ image: Buffer.from('not an image at all'), contentType: 'image/png', prompt: 'darker', ...logo, preserveAspects: [] }),
      (err: unknown) => err instanceof InvalidImageError && err.type === ErrorType.InvalidImage && !err.retryable,
    );
  });

  it('does no work once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(provider.generateLogo(logo, controller.signal), { name: 'AbortError' });
    await assert.rejects(provider.refineLogo({ image: Buffer.alloc(1), contentType: 'image/png', prompt: 'darker', ...logo, preserveAspects: [] }, controller.signal), { name: 'AbortError' });
  });
});
