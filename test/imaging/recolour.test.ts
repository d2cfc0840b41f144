import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { InvalidImageError, InvalidPaletteError } from '../../src/domain/errors.js';
import { hexToRgb } from '../../src/domain/palette.js';
import { srgbLightness } from '../../src/imaging/lab.js';
import { analyzeImage, analyzeImageCached, recolour } from '../../src/imaging/recolour.js';
import {
  decodeRgba,
  grayRampPng,
  greyscalePng,
  indexedPng,
  logoPng,
  rgbaPng,
  rgbPng,
  type RawImage,
} from '../support/image-fixtures.js';

const PALETTE = ['#264653', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51'] as const;
const PALETTE_RGB = PALETTE.map(hexToRgb);

/** round(0.75 × palette + 0.25 × original), the engine's blend. */
const blend = (paletteValue: number, original: number) => Math.floor((3 * paletteValue + original + 2) / 4);

/**
 * For every visible pixel: undo the blend ((out − 0.25·orig) / 0.75), require it to be a palette
 * colour within ±2 per channel, and return which palette colour each visible pixel got (-1 for
 * transparent pixels).
 */
function paletteIndexPerPixel(output: RawImage, original: RawImage, palette: readonly (readonly number[])[]): Int32Array {
  assert.equal(output.channels, 4);
  assert.equal(original.channels, 4);
  const pixels = output.width * output.height;
  const result = new Int32Array(pixels).fill(-1);
  for (let p = 0; p < pixels; p++) {
    if (original.data[p * 4 + 3] === 0) continue;
    const unblended = [0, 1, 2].map((c) => (output.data[p * 4 + c]! - 0.25 * original.data[p * 4 + c]!) / 0.75);
    const index = palette.findIndex((colour) => colour.every((value, c) => Math.abs(unblended[c]! - value) <= 2));
    assert.ok(index >= 0, `pixel ${p}: unblended ${unblended.map((v) => v.toFixed(1))} is not a palette colour`);
    result[p] = index;
  }
  return result;
}

async function recolourAndCheck(input: Buffer, palette: readonly string[]) {
  const output = await recolour(await analyzeImage(input), palette);
  assert.equal(output.contentType, 'image/png');
  const [outRaw, inRaw] = await Promise.all([decodeRgba(output.bytes), decodeRgba(input)]);
  assert.deepEqual([outRaw.width, outRaw.height], [inRaw.width, inRaw.height], 'output size = input size');
  const indices = paletteIndexPerPixel(outRaw, inRaw, palette.map(hexToRgb));
  return { output, outRaw, inRaw, indices };
}

const usedColours = (indices: Int32Array) => new Set([...indices].filter((i) => i >= 0));

describe('recolour: determinism', () => {
  it('gives byte-identical PNGs for the same image and palette, with or without the cache', async () => {
    const input = await logoPng(128);
    const first = await recolour(await analyzeImage(input), PALETTE);
    const second = await recolour(await analyzeImage(Buffer.from(input)), PALETTE);
    const cached = await recolour(await analyzeImageCached(input), PALETTE);
    assert.ok(first.bytes.equals(second.bytes), 'two analyses, same bytes');
    assert.ok(first.bytes.equals(cached.bytes), 'cached analysis, same bytes');
    const other = await recolour(await analyzeImage(input), ['#000000', '#ff0000', '#00ff00', '#0000ff', '#ffffff']);
    assert.ok(!first.bytes.equals(other.bytes), 'another palette gives another image');
  });

  it('analyses an image once for concurrent cached callers', async () => {
    const input = await logoPng(72);
    const analyses = await Promise.all(Array.from({ length: 7 }, () => analyzeImageCached(Buffer.from(input))));
    for (const analysis of analyses) assert.equal(analysis, analyses[0]);
    assert.equal(analyses[0]!.width, 72);
  });
});

describe('recolour: colours', () => {
  it('replaces every visible pixel by a palette colour blended 75/25 with the original, using every colour', async () => {
    const { outRaw, inRaw, indices } = await recolourAndCheck(await logoPng(96), PALETTE);
    assert.deepEqual([...usedColours(indices)].sort(), [0, 1, 2, 3, 4]);
    // The exact blend, channel by channel: the original still shows through.
    let differsFromPlainPalette = 0;
    for (let p = 0; p < indices.length; p++) {
      const index = indices[p]!;
      if (index < 0) continue;
      for (let c = 0; c < 3; c++) {
        const expected = blend(PALETTE_RGB[index]![c]!, inRaw.data[p * 4 + c]!);
        assert.equal(outRaw.data[p * 4 + c], expected, `pixel ${p} channel ${c}`);
        if (expected !== PALETTE_RGB[index]![c]) differsFromPlainPalette++;
      }
    }
    assert.ok(differsFromPlainPalette > 0);
  });

  it('keeps lightness order on a gradient: darker input never gets a lighter colour', async () => {
    const width = 64;
    const scrambled = ['#e9c46a', '#264653', '#f4a261', '#2a9d8f', '#e76f51'];
    const lightness = scrambled.map((hex) => srgbLightness(...hexToRgb(hex)));
    const { indices } = await recolourAndCheck(await grayRampPng(width, 3), scrambled);
    let previous = -Infinity;
    for (let x = 0; x < width; x++) {
      const column = new Set([0, 1, 2].map((y) => indices[y * width + x]!));
      assert.equal(column.size, 1, `column ${x} has one colour`);
      const l = lightness[[...column][0]!]!;
      assert.ok(l >= previous, `column ${x}: L* ${l.toFixed(1)} after ${previous.toFixed(1)}`);
      previous = l;
    }
    const order = [...lightness.keys()].sort((a, b) => lightness[a]! - lightness[b]!);
    assert.equal(indices[0], order[0], 'black end gets the darkest colour');
    assert.equal(indices[width - 1], order[order.length - 1], 'white end gets the lightest colour');
    assert.equal(usedColours(indices).size, 5);
  });

  it('spreads an image of bunched lightness (five darks, five lights) over all five colours, in order', async () => {
    const greys = [0, 12, 24, 36, 48, 200, 212, 224, 236, 255];
    const input = await rgbPng(20, 2, (x) => {
      const v = greys[x >> 1]!;
      return [v, v, v];
    });
    const { indices } = await recolourAndCheck(input, PALETTE);
    assert.equal(usedColours(indices).size, 5);
    const lightness = PALETTE_RGB.map((rgb) => srgbLightness(...rgb));
    assert.ok(Array.from({ length: 20 }, (_, x) => lightness[indices[x]!]!).every((l, x, all) => x === 0 || l >= all[x - 1]!));
  });

  it('uses only and all of a smaller palette', async () => {
    const two = await recolourAndCheck(await logoPng(64), ['#102030', '#f0e0d0']);
    assert.deepEqual([...usedColours(two.indices)].sort(), [0, 1]);
    const one = await recolourAndCheck(await logoPng(64), ['#ff0000']);
    assert.deepEqual([...usedColours(one.indices)], [0]);
  });

  it('gives a one-colour image the palette colour closest in lightness', async () => {
    const input = await rgbPng(1, 1, () => [40, 40, 40]);
    const output = await recolour(await analyzeImage(input), ['#ffffff', '#202020', '#808080']);
    const raw = await decodeRgba(output.bytes);
    assert.deepEqual([raw.width, raw.height], [1, 1]);
    assert.deepEqual([...raw.data], [blend(0x20, 40), blend(0x20, 40), blend(0x20, 40), 255]);
  });
});

describe('recolour: alpha and formats', () => {
  it('keeps alpha exactly and leaves fully transparent pixels untouched', async () => {
    const input = await rgbaPng(16, 8, (x, y) => [x * 15, y * 30, 200 - x * 10, x < 3 ? 0 : (x * 37 + y * 11) % 256]);
    const { outRaw, inRaw } = await recolourAndCheck(input, PALETTE);
    for (let p = 0; p < 16 * 8; p++) {
      assert.equal(outRaw.data[p * 4 + 3], inRaw.data[p * 4 + 3], `alpha of pixel ${p}`);
      if (inRaw.data[p * 4 + 3] === 0) {
        assert.deepEqual([...outRaw.data.subarray(p * 4, p * 4 + 3)], [...inRaw.data.subarray(p * 4, p * 4 + 3)]);
      }
    }
    const logo = await recolourAndCheck(await logoPng(80), PALETTE);
    for (let p = 0; p < 80 * 80; p++) assert.equal(logo.outRaw.data[p * 4 + 3], logo.inRaw.data[p * 4 + 3]);
  });

  it('gives a fully transparent image back unchanged', async () => {
    const input = await rgbaPng(5, 4, (x, y) => [x * 50, y * 60, 7, 0]);
    const output = await recolour(await analyzeImage(input), PALETTE);
    assert.ok((await decodeRgba(output.bytes)).data.equals((await decodeRgba(input)).data));
  });

  it('keeps an opaque image without alpha channel', async () => {
    const input = await rgbPng(20, 10, (x) => (x < 10 ? [250, 250, 250] : [10, 20, 30]));
    const { output, indices } = await recolourAndCheck(input, PALETTE);
    const meta = await sharp(output.bytes).metadata();
    assert.equal(meta.hasAlpha, false);
    assert.equal(meta.channels, 3);
    assert.equal(usedColours(indices).size, 2);
  });

  it('recolours 8- and 16-bit greyscale PNGs', async () => {
    for (const bitDepth of [8, 16] as const) {
      const input = await greyscalePng(40, 6, bitDepth);
      const meta = await sharp(input).metadata();
      assert.equal(meta.channels, 1, 'fixture is greyscale');
      const { indices, outRaw } = await recolourAndCheck(input, PALETTE);
      assert.deepEqual([outRaw.width, outRaw.height], [40, 6]);
      assert.equal(usedColours(indices).size, 4, 'four grey levels, four colours');
    }
  });

  it('recolours palette-mode (indexed) PNGs', async () => {
    const input = await indexedPng(48);
    assert.equal((await sharp(input).metadata()).isPalette, true, 'fixture is indexed');
    const { indices } = await recolourAndCheck(input, PALETTE);
    assert.ok(usedColours(indices).size >= 3);
  });

  it('handles 1×1 and non-square images at their own size', async () => {
    await recolourAndCheck(await rgbaPng(1, 1, () => [200, 10, 10, 128]), PALETTE);
    for (const [width, height] of [
      [37, 11],
      [9, 50],
    ] as const) {
      const { outRaw } = await recolourAndCheck(await logoPng(width, height), PALETTE);
      assert.deepEqual([outRaw.width, outRaw.height], [width, height]);
    }
  });

  it('encodes WebP when asked', async () => {
    const analysis = await analyzeImage(await logoPng(40, 30));
    const output = await recolour(analysis, PALETTE, { format: 'webp' });
    assert.equal(output.contentType, 'image/webp');
    const meta = await sharp(output.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['webp', 40, 30, true]);
    assert.ok(output.bytes.equals((await recolour(analysis, PALETTE, { format: 'webp' })).bytes), 'deterministic');
  });
});

describe('recolour: validation', () => {
  it('rejects bad palettes with InvalidPaletteError', async () => {
    const analysis = await analyzeImage(await logoPng(16));
    await assert.rejects(recolour(analysis, ['#12345g']), InvalidPaletteError);
    await assert.rejects(recolour(analysis, ['#264653', 'teal']), InvalidPaletteError);
    await assert.rejects(recolour(analysis, []), InvalidPaletteError);
    await assert.rejects(recolour(analysis, [...PALETTE, '#000000']), InvalidPaletteError);
  });

  it('accepts short and upper-case hex', async () => {
    const analysis = await analyzeImage(await logoPng(16));
    const short = await recolour(analysis, ['#FFF', '000']);
    const long = await recolour(analysis, ['#ffffff', '#000000']);
    assert.ok(short.bytes.equals(long.bytes));
  });

  it('rejects non-images, truncated images and oversized images with InvalidImageError', async () => {
    await assert.rejects(analyzeImage(Buffer.from('definitely not an image')), InvalidImageError);
    await assert.rejects(analyzeImage(new Uint8Array(0)), InvalidImageError);
    await assert.rejects(analyzeImageCached(Buffer.from('still not an image')), InvalidImageError);
    const png = await logoPng(64);
    await assert.rejects(analyzeImage(png.subarray(0, png.length >> 1)), InvalidImageError);
    const wide = await sharp({ create: { width: 4097, height: 1, channels: 3, background: '#336699' } }).png().toBuffer();
    await assert.rejects(analyzeImage(wide), InvalidImageError);
    await assert.rejects(analyzeImage(png, { maxDimension: 32 }), InvalidImageError);
  });
});

describe('analyzeImage', () => {
  it('finds fewer clusters than k when the image has fewer colours, and ignores transparent pixels', async () => {
    const input = await rgbaPng(30, 10, (x, y) =>
      y === 0 ? [0, 255, 0, 0] : x < 10 ? [255, 0, 0, 255] : x < 20 ? [0, 0, 255, 255] : [255, 255, 255, 255],
    );
    const analysis = await analyzeImage(input);
    assert.equal(analysis.clusterCount, 3);
    assert.equal(analysis.hasAlpha, true);
    assert.deepEqual([...analysis.clusterPixels].sort((a, b) => a - b), [90, 90, 90]);
    assert.deepEqual([...analysis.labels.subarray(0, 30)], Array(30).fill(255), 'alpha-0 row is unlabelled');
    const lightness = Array.from({ length: 3 }, (_, c) => analysis.centroids[c * 3]!).sort((a, b) => a - b);
    assert.ok(Math.abs(lightness[2]! - 100) < 0.01, 'white cluster at L* 100');
    assert.match(analysis.sourceHash, /^[0-9a-f]{64}$/);
  });

  it('uses at most 10 clusters and labels every visible pixel', async () => {
    const analysis = await analyzeImage(await logoPng(64));
    assert.ok(analysis.clusterCount <= 10 && analysis.clusterCount >= 6, `clusters: ${analysis.clusterCount}`);
    const inRaw = await decodeRgba(await logoPng(64));
    let visible = 0;
    for (let p = 0; p < 64 * 64; p++) {
      if (inRaw.data[p * 4 + 3] !== 0) {
        visible++;
        assert.ok(analysis.labels[p]! < analysis.clusterCount);
      } else assert.equal(analysis.labels[p], 255);
    }
    assert.equal([...analysis.clusterPixels].reduce((a, b) => a + b, 0), visible);
  });
});
