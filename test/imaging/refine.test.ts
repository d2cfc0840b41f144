/**
 * Refinement as prompt-driven image operations: each operation measurably does what its words
 * say, preserved aspects drop the matching operations, unknown wording still changes the image,
 * and the result is deterministic, at the input size, with alpha kept.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PreserveAspect } from '../../src/domain/inputs.js';
import { parseRefinePrompt, planRefineOperations, refineImageByPrompt } from '../../src/imaging/refine/index.js';
import { decodeRgba, type RgbaImage } from '../../src/imaging/rgba.js';

const WIDTH = 240;
const HEIGHT = 180;

/** A small non-square test logo: light card with transparent corners, coloured shapes and a gradient bar. */
const FIXTURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#1d4ed8"/><stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>
  <rect x="10" y="10" width="220" height="160" rx="30" fill="#e8eef5"/>
  <circle cx="70" cy="75" r="40" fill="#2563eb"/>
  <rect x="130" y="35" width="70" height="70" fill="#dc2626"/>
  <polygon points="40,150 80,120 120,150" fill="#facc15"/>
  <rect x="130" y="125" width="90" height="30" fill="url(#g)"/>
</svg>`;

let fixture: Buffer;
let fixturePixels: RgbaImage;

const stats = (img: RgbaImage) => {
  let luma = 0;
  let saturation = 0;
  let warmth = 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (img.data[i + 3]! < 255) continue;
    const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
    luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
    saturation += Math.max(r, g, b) - Math.min(r, g, b);
    warmth += r - b;
    n++;
  }
  return { luma: luma / n, saturation: saturation / n, warmth: warmth / n };
};

const pixel = (img: RgbaImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

async function refine(prompt: string, preserve: PreserveAspect[] = []) {
  const result = await refineImageByPrompt(fixture, prompt, preserve);
  const { image, hadAlpha } = await decodeRgba(result.bytes);
  return { ...result, image, hadAlpha };
}

function differingPixels(a: RgbaImage, b: RgbaImage): number {
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2] || a.data[i + 3] !== b.data[i + 3]) count++;
  }
  return count;
}

function distinctColours(img: RgbaImage): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4) {
    if (img.data[i + 3] === 255) seen.add((img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!);
  }
  return seen.size;
}

describe('refine operations', () => {
  before(async () => {
    fixture = await sharp(Buffer.from(FIXTURE_SVG)).png().toBuffer();
    fixturePixels = (await decodeRgba(fixture)).image;
    assert.equal(pixel(fixturePixels, 0, 0)[3], 0, 'fixture corners are transparent');
  });

  it('"darker" lowers the mean luminance, "much darker" more than "slightly darker"', async () => {
    const base = stats(fixturePixels).luma;
    const darker = stats((await refine('make it darker')).image).luma;
    const slightly = stats((await refine('slightly darker please')).image).luma;
    const much = stats((await refine('much darker')).image).luma;
    assert.ok(darker < base - 10, `${darker} vs ${base}`);
    assert.ok(much < darker && darker < slightly && slightly < base);
  });

  it('"brighter" raises the mean luminance; "less bright" lowers it', async () => {
    const base = stats(fixturePixels).luma;
    assert.ok(stats((await refine('brighter')).image).luma > base + 5);
    assert.ok(stats((await refine('a little less bright')).image).luma < base);
  });

  it('"more saturated" raises saturation and "muted" lowers it; "grayscale" removes it', async () => {
    const base = stats(fixturePixels).saturation;
    assert.ok(stats((await refine('more saturated colours')).image).saturation > base + 5);
    assert.ok(stats((await refine('more muted')).image).saturation < base - 5);
    const grey = (await refine('black and white version')).image;
    assert.ok(stats(grey).saturation < 2);
  });

  it('"warmer" shifts towards red, "cooler" towards blue', async () => {
    const base = stats(fixturePixels).warmth;
    assert.ok(stats((await refine('warmer')).image).warmth > base + 10);
    assert.ok(stats((await refine('cooler')).image).warmth < base - 10);
  });

  it('"rotate" turns the image a quarter clockwise (180° for a non-square image keeps the size)', async () => {
    const turned = await refine('rotate it 180 degrees');
    assert.deepEqual(turned.operations, ['rotated 180°']);
    for (const [x, y] of [[70, 75], [150, 60], [60, 140], [200, 140]] as const) {
      assert.deepEqual(pixel(turned.image, WIDTH - 1 - x, HEIGHT - 1 - y), pixel(fixturePixels, x, y));
    }
    const square = await sharp(fixture).extract({ left: 0, top: 0, width: 180, height: 180 }).png().toBuffer();
    const quarter = await decodeRgba((await refineImageByPrompt(square, 'rotate')).bytes);
    const original = await decodeRgba(square);
    for (const [x, y] of [[70, 75], [150, 60], [60, 140]] as const) {
      // Clockwise: the source pixel (x, y) lands at (size-1-y, x).
      assert.deepEqual(pixel(quarter.image, 179 - y, x), pixel(original.image, x, y));
    }
  });

  it('"flip"/"mirror" mirrors left-right, "upside down" top-bottom', async () => {
    const mirrored = (await refine('mirror the logo')).image;
    const flipped = (await refine('turn it upside down')).image;
    for (const [x, y] of [[70, 75], [150, 60], [60, 140]] as const) {
      assert.deepEqual(pixel(mirrored, WIDTH - 1 - x, y), pixel(fixturePixels, x, y));
      assert.deepEqual(pixel(flipped, x, HEIGHT - 1 - y), pixel(fixturePixels, x, y));
    }
    assert.ok(differingPixels(mirrored, fixturePixels) > 1000);
  });

  it('"simpler" reduces the number of colours; "bolder outline" draws a dark band along edges', async () => {
    assert.ok(distinctColours(fixturePixels) > 40, 'the gradient gives the fixture many colours');
    const simpler = await refine('simpler please');
    assert.ok(distinctColours(simpler.image) <= 6, `${distinctColours(simpler.image)} colours`);
    // Bolder outline: a near-black band along shape edges (the darkest colour, deepened), insides untouched.
    const bolder = (await refine('bolder outline')).image;
    const lumaAt = (x: number, y: number) => {
      const [r, g, b] = pixel(bolder, x, y);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const [x, y] of [[129, 70], [130, 70], [165, 35], [70, 35]] as const) assert.ok(lumaAt(x, y) < 60, `edge pixel ${x},${y}: ${lumaAt(x, y)}`);
    for (const [x, y] of [[165, 70], [70, 75]] as const) assert.deepEqual(pixel(bolder, x, y), pixel(fixturePixels, x, y));
    assert.ok(differingPixels(bolder, fixturePixels) > 3000);
  });

  it('"rounder" rounds the corners and the shapes', async () => {
    const square = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#204080' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect x="50" y="50" width="100" height="100" fill="#f0c020"/></svg>') }])
      .png()
      .toBuffer();
    const result = await refineImageByPrompt(square, 'make it rounder');
    const { image, hadAlpha } = await decodeRgba(result.bytes);
    assert.ok(hadAlpha, 'rounded corners need alpha');
    assert.equal(pixel(image, 1, 1)[3], 0);
    assert.equal(pixel(image, 100, 100)[3], 255);
    // The inner square's sharp corner is cut: its corner pixel now has the ground colour, its middle stays.
    const before = (await decodeRgba(square)).image;
    assert.deepEqual(pixel(before, 50, 50).slice(0, 3), [0xf0, 0xc0, 0x20]);
    assert.deepEqual(pixel(image, 50, 50).slice(0, 3), [0x20, 0x40, 0x80]);
    assert.deepEqual(pixel(image, 100, 60).slice(0, 3), [0xf0, 0xc0, 0x20]);
    assert.deepEqual(result.operations, ['rounder', 'rounded corners']);
  });

  it('lists the operations applied, in words', async () => {
    const result = await refine('Make it darker and rounder, with higher contrast');
    assert.deepEqual(result.operations, ['rounder', 'darker', 'higher contrast', 'rounded corners']);
  });

  it('preserve_aspects drops the matching operations', () => {
    const kinds = (prompt: string, preserve: PreserveAspect[]) => planRefineOperations(prompt, preserve).map((p) => p.operation.kind);
    assert.deepEqual(kinds('rotate and flip it, more saturated', ['layout']), ['saturation']);
    assert.deepEqual(kinds('rotate it, more saturated, warmer', ['colors']), ['rotate']);
    assert.deepEqual(kinds('rounder and darker', ['shapes']), ['lightness']);
    assert.deepEqual(kinds('simpler and bolder', ['style']), ['smooth-shapes']);
    assert.deepEqual(kinds('rotate it, more saturated', []), ['rotate', 'saturation']);
  });

  it('applies only what preserve_aspects allows', async () => {
    const kept = await refine('rotate it 180 degrees and make it darker', ['layout']);
    assert.deepEqual(kept.operations, ['darker']);
    assert.deepEqual(pixel(kept.image, 0, 0), pixel(fixturePixels, 0, 0), 'transparent corner stays where it was');
    assert.ok(stats(kept.image).luma < stats(fixturePixels).luma);
  });

  it('still changes the image visibly for wording it does not understand, even with colours preserved', async () => {
    const free = await refine('zorp the blimfle');
    assert.equal(free.operations.length, 1);
    assert.match(free.operations[0]!, /hue shifted/);
    assert.ok(differingPixels(free.image, fixturePixels) > 5000);
    const preserved = await refine('zorp the blimfle', ['colors']);
    assert.ok(differingPixels(preserved.image, fixturePixels) > 5000);
    assert.ok(Math.abs(stats(preserved.image).saturation - stats(fixturePixels).saturation) < stats(fixturePixels).saturation * 0.25);
    // Everything asked for is preserved: the fallback still makes a visible change.
    const allPreserved = await refine('rotate it', ['layout']);
    assert.ok(differingPixels(allPreserved.image, fixturePixels) > 5000);
    assert.notDeepEqual((await refine('zorp the blimfle')).operations, (await refine('quux frobnicate')).operations);
  });

  it('is deterministic', async () => {
    for (const prompt of ['simpler and warmer', 'tilt it slightly', 'zorp the blimfle', 'rounder, bolder']) {
      const a = await refineImageByPrompt(fixture, prompt, []);
      const b = await refineImageByPrompt(fixture, prompt, []);
      assert.ok(a.bytes.equals(b.bytes), prompt);
    }
  });

  it('keeps the input size and the alpha channel', async () => {
    for (const prompt of ['darker', 'tilt 20 degrees', 'zoom out', 'simpler', 'invert']) {
      const result = await refine(prompt);
      assert.equal(result.width, WIDTH);
      assert.equal(result.height, HEIGHT);
      const meta = await sharp(result.bytes).metadata();
      assert.equal(meta.format, 'png');
      assert.deepEqual([meta.width, meta.height, meta.hasAlpha], [WIDTH, HEIGHT, true], prompt);
      if (prompt !== 'tilt 20 degrees' && prompt !== 'zoom out') assert.equal(pixel(result.image, 2, 2)[3], 0, `${prompt}: transparent corner kept`);
    }
  });

  it('parses phrases without mixing them up', () => {
    const words = (prompt: string) => parseRefinePrompt(prompt).map((p) => p.label);
    assert.deepEqual(words('less saturated'), ['less saturated']);
    assert.deepEqual(words('desaturate it'), ['less saturated']);
    assert.deepEqual(words('bold colours'), ['more saturated']);
    assert.deepEqual(words('less dark'), ['lighter']);
    assert.deepEqual(words('turn it blue'), ['tinted blue']);
    assert.deepEqual(words('rotate 45 degrees counter-clockwise'), ['rotated -45°']);
    assert.deepEqual(words('only three colours'), ['fewer colours (3)']);
  });
});
