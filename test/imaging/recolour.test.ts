import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { InvalidImageError, InvalidPaletteError } from '../../src/domain/errors.js';
import { hexToRgb } from '../../src/domain/palette.js';
import { srgbLightness, srgbToLab } from '../../src/imaging/lab.js';
import { analyzeImageBytes, mainRegions, TRANSPARENT_MIX } from '../../src/imaging/image-analysis.js';
import { analyzeImageCached, recolour } from '../../src/imaging/recolour.js';
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

type Rgb = readonly [number, number, number];
const pixel = (raw: RawImage, p: number): Rgb => [raw.data[p * raw.channels]!, raw.data[p * raw.channels + 1]!, raw.data[p * raw.channels + 2]!];
const sameRgb = (a: Rgb, b: Rgb) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
const paletteIndex = (rgb: Rgb, palette: readonly Rgb[]) => palette.findIndex((colour) => sameRgb(colour, rgb));
const lightnessOf = (rgb: Rgb) => srgbLightness(rgb[0], rgb[1], rgb[2]);
function deltaE(a: Rgb, b: Rgb): number {
  const x = new Float64Array(6);
  srgbToLab(a[0], a[1], a[2], x, 0);
  srgbToLab(b[0], b[1], b[2], x, 3);
  return Math.hypot(x[0]! - x[3]!, x[1]! - x[4]!, x[2]! - x[5]!);
}

/** Opaque vertical bands of flat colours, `width` pixels each. */
const bandsPng = (colours: readonly Rgb[], width = 4, height = 3) => rgbPng(colours.length * width, height, (x) => [...colours[Math.floor(x / width)]!] as [number, number, number]);

/** An antialiased disc on a flat ground (rendered from SVG, opaque). */
const discPng = (size: number, disc: string, ground: string) =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${ground}"/><circle cx="${size / 2}" cy="${size / 2}" r="${size / 3}" fill="${disc}"/></svg>`))
    .removeAlpha()
    .png()
    .toBuffer();

async function recolourRaw(input: Buffer, palette: readonly string[]) {
  const output = await recolour(await analyzeImageBytes(input), palette);
  assert.equal(output.contentType, 'image/png');
  const [outRaw, inRaw] = await Promise.all([decodeRgba(output.bytes), decodeRgba(input)]);
  assert.deepEqual([outRaw.width, outRaw.height], [inRaw.width, inRaw.height], 'output size = input size');
  return { output, outRaw, inRaw };
}

/** Palette index of every pixel of a flat-colour image (each must be exactly a palette colour). */
async function flatIndices(input: Buffer, palette: readonly string[]): Promise<number[]> {
  const { outRaw } = await recolourRaw(input, palette);
  const rgb = palette.map(hexToRgb);
  return Array.from({ length: outRaw.width * outRaw.height }, (_, p) => {
    const index = paletteIndex(pixel(outRaw, p), rgb);
    assert.ok(index >= 0, `pixel ${p}: ${pixel(outRaw, p)} is not a palette colour`);
    return index;
  });
}

describe('recolour: determinism', () => {
  it('gives byte-identical PNGs for the same image and palette, with or without the cache', async () => {
    const input = await logoPng(128);
    const first = await recolour(await analyzeImageBytes(input), PALETTE);
    const second = await recolour(await analyzeImageBytes(Buffer.from(input)), PALETTE);
    const cached = await recolour(await analyzeImageCached(input), PALETTE);
    assert.ok(first.bytes.equals(second.bytes), 'two analyses, same bytes');
    assert.ok(first.bytes.equals(cached.bytes), 'cached analysis, same bytes');
    const other = await recolour(await analyzeImageBytes(input), ['#000000', '#ff0000', '#00ff00', '#0000ff', '#ffffff']);
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
  it('turns each flat region into exactly one palette colour, with nothing of the original left', async () => {
    const bands: Rgb[] = [[20, 30, 40], [200, 60, 50], [250, 240, 230], [90, 160, 90], [140, 110, 200]];
    const indices = await flatIndices(await bandsPng(bands), PALETTE);
    const perBand = bands.map((_, band) => new Set(indices.filter((_, p) => Math.floor((p % 20) / 4) === band)));
    perBand.forEach((set, band) => assert.equal(set.size, 1, `band ${band} is one colour`));
    const colourOfBand = perBand.map((set) => [...set][0]!);
    assert.equal(new Set(colourOfBand).size, 5, 'five regions, five colours');
    const order = [...bands.keys()].sort((a, b) => lightnessOf(bands[a]!) - lightnessOf(bands[b]!));
    assert.ok(
      order.every((band, i) => i === 0 || lightnessOf(PALETTE_RGB[colourOfBand[band]!]!) >= lightnessOf(PALETTE_RGB[colourOfBand[order[i - 1]!]!]!)),
      'lighter region, lighter colour',
    );
  });

  it('keeps lightness order on a gradient, and keeps it smooth', async () => {
    const width = 64;
    const scrambled = ['#e9c46a', '#264653', '#f4a261', '#2a9d8f', '#e76f51'];
    const lightness = scrambled.map((hex) => srgbLightness(...hexToRgb(hex))).sort((a, b) => a - b);
    const { outRaw } = await recolourRaw(await grayRampPng(width, 3), scrambled);
    let previous = -Infinity;
    for (let x = 0; x < width; x++) {
      const column = [0, 1, 2].map((y) => pixel(outRaw, y * width + x));
      assert.ok(column.every((rgb) => sameRgb(rgb, column[0]!)), `column ${x} is one colour`);
      const l = lightnessOf(column[0]!);
      // Blending two colours of nearly one lightness but different hue may dip a little in between.
      assert.ok(l >= previous - 4, `column ${x}: L* ${l.toFixed(1)} after ${previous.toFixed(1)}`);
      // Neighbouring columns differ by a few L*; a posterised ramp would jump by a whole palette step (ΔE 40–70 here).
      if (x > 0) assert.ok(deltaE(column[0]!, pixel(outRaw, x - 1)) < 25, `no jump at column ${x}`);
      previous = l;
    }
    assert.ok(lightnessOf(pixel(outRaw, 0)) < lightness[1]!, 'the black end is darker than the second-darkest colour');
    assert.ok(lightnessOf(pixel(outRaw, width - 1)) > lightness[3]!, 'the white end is lighter than the second-lightest colour');
  });

  it('spreads an image of bunched lightness (five darks, five lights) over all five colours, in order', async () => {
    const greys = [0, 12, 24, 36, 48, 200, 212, 224, 236, 255];
    const { outRaw } = await recolourRaw(await bandsPng(greys.map((v) => [v, v, v] as const), 6, 3), PALETTE);
    const bands = greys.map((_, i) => pixel(outRaw, i * 6));
    const nearest = bands.map((rgb) => PALETTE_RGB.reduce((best, colour, i) => (deltaE(rgb, colour) < deltaE(rgb, PALETTE_RGB[best]!) ? i : best), 0));
    assert.equal(new Set(nearest).size, 5, `nearest palette colours ${nearest}`);
    const lightness = bands.map(lightnessOf);
    assert.ok(lightness.every((l, i) => i === 0 || l >= lightness[i - 1]!), `band lightness ${lightness.map((l) => l.toFixed(0))}`);
  });

  it('makes antialiased edges blends of their two regions\' new colours, never a third colour', async () => {
    const input = await discPng(64, '#c0392b', '#fdf6e3');
    const { outRaw, inRaw } = await recolourRaw(input, PALETTE);
    const ground = pixel(outRaw, 0);
    const disc = pixel(outRaw, 32 * 64 + 32);
    assert.ok(paletteIndex(ground, PALETTE_RGB) >= 0 && paletteIndex(disc, PALETTE_RGB) >= 0 && !sameRgb(ground, disc));
    let edges = 0;
    for (let p = 0; p < 64 * 64; p++) {
      const rgb = pixel(outRaw, p);
      // Distance from the segment ground → disc, per channel.
      const e = [0, 1, 2].map((c) => disc[c]! - ground[c]!);
      const t = Math.max(0, Math.min(1, [0, 1, 2].reduce((s, c) => s + (rgb[c]! - ground[c]!) * e[c]!, 0) / e.reduce((s, v) => s + v * v, 0)));
      const off = Math.max(...[0, 1, 2].map((c) => Math.abs(rgb[c]! - (ground[c]! + t * e[c]!))));
      assert.ok(off <= 3, `pixel ${p}: ${rgb} is not a blend of ${ground} and ${disc}`);
      if (!sameRgb(pixel(inRaw, p), pixel(inRaw, 0)) && !sameRgb(pixel(inRaw, p), pixel(inRaw, 32 * 64 + 32))) edges++;
    }
    assert.ok(edges > 20, 'the fixture has antialiased edge pixels');
  });

  it('keeps two clearly different regions of one lightness apart', async () => {
    // Red and green of about the same L* (≈ 54): by lightness alone they would take one colour.
    const bands: Rgb[] = [[10, 10, 10], [230, 40, 50], [35, 138, 55], [250, 250, 250]];
    assert.ok(Math.abs(lightnessOf(bands[1]!) - lightnessOf(bands[2]!)) < 4, 'fixture: same lightness');
    const { outRaw } = await recolourRaw(await bandsPng(bands), ['#1b1b1b', '#6d5a8c', '#74628f', '#d9c9a0', '#fafafa']);
    assert.ok(deltaE(pixel(outRaw, 4), pixel(outRaw, 8)) >= 10, `red ${pixel(outRaw, 4)} and green ${pixel(outRaw, 8)} stay apart`);
  });

  it('keeps texture: a noisy fill stays noisy, not posterised', async () => {
    const input = await rgbPng(32, 32, (x, y) => {
      const noise = ((x * 7 + y * 13) % 11) - 5;
      return x < 16 ? [60 + noise, 90 + noise, 140 + noise] : [230 + noise, 220 + noise, 200 + noise];
    });
    const { outRaw, inRaw } = await recolourRaw(input, ['#102a43', '#f0b429']);
    let steps = 0;
    for (let p = 1; p < 32 * 32; p++) {
      if (p % 32 === 0 || p % 32 === 16) continue;
      const before = lightnessOf(pixel(inRaw, p)) - lightnessOf(pixel(inRaw, p - 1));
      const after = lightnessOf(pixel(outRaw, p)) - lightnessOf(pixel(outRaw, p - 1));
      if (Math.abs(before) < 1) continue;
      steps++;
      assert.ok(Math.sign(before) === Math.sign(after) && Math.abs(after) >= 0.3 * Math.abs(before), `pixel ${p}: L* step ${before.toFixed(1)} became ${after.toFixed(1)}`);
    }
    assert.ok(steps > 500);
  });

  it('uses all of a smaller palette; a region that shares a colour keeps its difference around it', async () => {
    const input = await bandsPng([[20, 20, 20], [120, 130, 140], [240, 240, 240]]);
    const { outRaw } = await recolourRaw(input, ['#102030', '#f0e0d0']);
    const bands = [0, 4, 8].map((x) => pixel(outRaw, x));
    const two = [hexToRgb('#102030'), hexToRgb('#f0e0d0')];
    assert.ok(two.every((colour) => bands.some((band) => sameRgb(band, colour) || deltaE(band, colour) < 25)), `bands ${bands.join(' | ')}`);
    const lightness = bands.map(lightnessOf);
    assert.ok(lightness[0]! < lightness[1]! && lightness[1]! < lightness[2]!, 'three regions, three lightnesses, in order');
    const one = await recolourRaw(input, ['#ff0000']);
    const reds = [0, 4, 8].map((x) => pixel(one.outRaw, x));
    assert.ok(reds.every((rgb) => rgb[0] >= rgb[1] && rgb[0] >= rgb[2]), `one red palette: ${reds.join(' | ')}`);
    assert.ok(new Set(reds.map((rgb) => rgb.join())).size === 3, 'a one-colour palette still tells the regions apart');
  });

  it('gives a one-colour image exactly the palette colour closest in lightness', async () => {
    const input = await rgbPng(1, 1, () => [40, 40, 40]);
    const output = await recolour(await analyzeImageBytes(input), ['#ffffff', '#202020', '#808080']);
    const raw = await decodeRgba(output.bytes);
    assert.deepEqual([raw.width, raw.height], [1, 1]);
    assert.deepEqual([...raw.data], [0x20, 0x20, 0x20, 255]);
  });
});

describe('recolour: alpha and formats', () => {
  it('keeps alpha exactly and leaves fully transparent pixels untouched', async () => {
    const input = await rgbaPng(16, 8, (x, y) => [x * 15, y * 30, 200 - x * 10, x < 3 ? 0 : (x * 37 + y * 11) % 256]);
    const { outRaw, inRaw } = await recolourRaw(input, PALETTE);
    for (let p = 0; p < 16 * 8; p++) {
      assert.equal(outRaw.data[p * 4 + 3], inRaw.data[p * 4 + 3], `alpha of pixel ${p}`);
      if (inRaw.data[p * 4 + 3] === 0) {
        assert.deepEqual([...outRaw.data.subarray(p * 4, p * 4 + 3)], [...inRaw.data.subarray(p * 4, p * 4 + 3)]);
      }
    }
    const logo = await recolourRaw(await logoPng(80), PALETTE);
    for (let p = 0; p < 80 * 80; p++) assert.equal(logo.outRaw.data[p * 4 + 3], logo.inRaw.data[p * 4 + 3]);
  });

  it('gives a fully transparent image back unchanged', async () => {
    const input = await rgbaPng(5, 4, (x, y) => [x * 50, y * 60, 7, 0]);
    const output = await recolour(await analyzeImageBytes(input), PALETTE);
    assert.ok((await decodeRgba(output.bytes)).data.equals((await decodeRgba(input)).data));
  });

  it('keeps an opaque image without alpha channel', async () => {
    const input = await rgbPng(20, 10, (x) => (x < 10 ? [250, 250, 250] : [10, 20, 30]));
    const indices = await flatIndices(input, PALETTE);
    const meta = await sharp((await recolour(await analyzeImageBytes(input), PALETTE)).bytes).metadata();
    assert.equal(meta.hasAlpha, false);
    assert.equal(meta.channels, 3);
    assert.equal(new Set(indices).size, 2);
  });

  it('recolours 8- and 16-bit greyscale PNGs', async () => {
    for (const bitDepth of [8, 16] as const) {
      const input = await greyscalePng(40, 6, bitDepth);
      const meta = await sharp(input).metadata();
      assert.equal(meta.channels, 1, 'fixture is greyscale');
      assert.equal(new Set(await flatIndices(input, PALETTE)).size, 4, 'four grey levels, four colours');
    }
  });

  it('recolours palette-mode (indexed) PNGs', async () => {
    const input = await indexedPng(48);
    assert.equal((await sharp(input).metadata()).isPalette, true, 'fixture is indexed');
    const { outRaw } = await recolourRaw(input, PALETTE);
    const used = new Set(Array.from({ length: 48 * 48 }, (_, p) => paletteIndex(pixel(outRaw, p), PALETTE_RGB)).filter((i) => i >= 0));
    assert.ok(used.size >= 2, `palette colours shown: ${used.size}`);
  });

  it('handles 1×1 and non-square images at their own size', async () => {
    await recolourRaw(await rgbaPng(1, 1, () => [200, 10, 10, 128]), PALETTE);
    for (const [width, height] of [
      [37, 11],
      [9, 50],
    ] as const) {
      const { outRaw } = await recolourRaw(await logoPng(width, height), PALETTE);
      assert.deepEqual([outRaw.width, outRaw.height], [width, height]);
    }
  });

  it('encodes WebP when asked', async () => {
    const analysis = await analyzeImageBytes(await logoPng(40, 30));
    const output = await recolour(analysis, PALETTE, { format: 'webp' });
    assert.equal(output.contentType, 'image/webp');
    const meta = await sharp(output.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['webp', 40, 30, true]);
    assert.ok(output.bytes.equals((await recolour(analysis, PALETTE, { format: 'webp' })).bytes), 'deterministic');
  });
});

describe('recolour: validation', () => {
  it('rejects bad palettes with InvalidPaletteError', async () => {
    const analysis = await analyzeImageBytes(await logoPng(16));
    await assert.rejects(recolour(analysis, ['#12345g']), InvalidPaletteError);
    await assert.rejects(recolour(analysis, ['#264653', 'teal']), InvalidPaletteError);
    await assert.rejects(recolour(analysis, []), InvalidPaletteError);
    await assert.rejects(recolour(analysis, [...PALETTE, '#000000']), InvalidPaletteError);
  });

  it('accepts short and upper-case hex', async () => {
    const analysis = await analyzeImageBytes(await logoPng(16));
    const short = await recolour(analysis, ['#FFF', '000']);
    const long = await recolour(analysis, ['#ffffff', '#000000']);
    assert.ok(short.bytes.equals(long.bytes));
  });

  it('rejects non-images, truncated images and oversized images with InvalidImageError', async () => {
    await assert.rejects(analyzeImageBytes(Buffer.from('definitely not an image')), InvalidImageError);
    await assert.rejects(analyzeImageBytes(new Uint8Array(0)), InvalidImageError);
    await assert.rejects(analyzeImageCached(Buffer.from('still not an image')), InvalidImageError);
    const png = await logoPng(64);
    await assert.rejects(analyzeImageBytes(png.subarray(0, png.length >> 1)), InvalidImageError);
    const wide = await sharp({ create: { width: 4097, height: 1, channels: 3, background: '#336699' } }).png().toBuffer();
    await assert.rejects(analyzeImageBytes(wide), InvalidImageError);
    await assert.rejects(analyzeImageBytes(png, { maxDimension: 32 }), InvalidImageError);
  });
});

describe('analyzeImageBytes', () => {
  it('finds fewer clusters than k when the image has fewer colours, and ignores transparent pixels', async () => {
    const input = await rgbaPng(30, 10, (x, y) =>
      y === 0 ? [0, 255, 0, 0] : x < 10 ? [255, 0, 0, 255] : x < 20 ? [0, 0, 255, 255] : [255, 255, 255, 255],
    );
    const analysis = await analyzeImageBytes(input);
    assert.equal(analysis.clusterCount, 3);
    assert.equal(analysis.hasAlpha, true);
    assert.deepEqual([...analysis.clusterPixels].sort((a, b) => a - b), [90, 90, 90]);
    assert.deepEqual([...mainRegions(analysis).subarray(0, 30)], Array(30).fill(255), 'alpha-0 row is unlabelled');
    const lightness = Array.from({ length: 3 }, (_, c) => analysis.centroids[c * 3]!).sort((a, b) => a - b);
    assert.ok(Math.abs(lightness[2]! - 100) < 0.01, 'white cluster at L* 100');
    assert.match(analysis.sourceHash, /^[0-9a-f]{64}$/);
  });

  it('uses at most 10 regions and gives every visible pixel a blend of at most two of them', async () => {
    const analysis = await analyzeImageBytes(await logoPng(64));
    assert.ok(analysis.clusterCount <= 10 && analysis.clusterCount >= 4, `regions: ${analysis.clusterCount}`);
    const inRaw = await decodeRgba(await logoPng(64));
    const regions = mainRegions(analysis);
    let visible = 0;
    for (let p = 0; p < 64 * 64; p++) {
      if (inRaw.data[p * 4 + 3] !== 0) {
        visible++;
        assert.ok(regions[p]! < analysis.clusterCount);
        const mix = analysis.mixes[analysis.mixIndex[p]!]!;
        assert.ok(((mix >>> 8) & 0xff) < analysis.clusterCount && mix >>> 16 <= 64, `blend of pixel ${p}`);
      } else assert.equal(analysis.mixIndex[p], TRANSPARENT_MIX);
    }
    assert.equal([...analysis.clusterPixels].reduce((a, b) => a + b, 0), visible);
  });

  it('does not make antialiased edges regions of their own: a disc on a ground is two regions', async () => {
    const analysis = await analyzeImageBytes(await discPng(96, '#c0392b', '#fdf6e3'));
    assert.equal(analysis.clusterCount, 2);
    assert.ok(analysis.mixes.some((mix) => mix >>> 16 > 0), 'edge pixels are blends');
  });
});
