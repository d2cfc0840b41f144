import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisCache } from '../../src/imaging/analysis-cache.js';
import { mergeClusters } from '../../src/imaging/cluster-merging.js';
import { sampleVisibleColours } from '../../src/imaging/colour-sample.js';
import { createPrng, fitKMeans, type WeightedPoints } from '../../src/imaging/kmeans.js';
import { srgbLightness, srgbToLab } from '../../src/imaging/lab.js';
import { assignPaletteColors } from '../../src/imaging/palette-mapping.js';
import { RawBufferPool } from '../../src/imaging/raw-buffer-pool.js';
import { chooseRegions } from '../../src/imaging/regions.js';
import { logoPng, rgbPng } from '../support/image-fixtures.js';

const isNonDecreasing = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);

describe('lab', () => {
  it('converts sRGB to CIE Lab (D65)', () => {
    const lab = new Float64Array(3);
    srgbToLab(255, 255, 255, lab);
    assert.ok(Math.abs(lab[0]! - 100) < 0.01 && Math.abs(lab[1]!) < 0.01 && Math.abs(lab[2]!) < 0.01);
    srgbToLab(255, 0, 0, lab);
    assert.deepEqual([...lab].map((v) => Math.round(v * 10) / 10), [53.2, 80.1, 67.2]);
    assert.equal(srgbLightness(0, 0, 0), 0);
    assert.ok(srgbLightness(0x80, 0x80, 0x80) > 53 && srgbLightness(0x80, 0x80, 0x80) < 54);
  });
});

describe('assignPaletteColors', () => {
  /** Lab of greys (a = b = 0) with these L*, or of [L, a, b] triples. */
  const greys = (...lightness: number[]) => Float64Array.from(lightness.flatMap((l) => [l, 0, 0]));
  const labs = (...colours: [number, number, number][]) => Float64Array.from(colours.flat());
  const palette = greys(0, 25, 50, 75, 100);

  it('keeps lightness order whatever order the palette is given in: a lighter region never gets a darker colour', () => {
    const regions = [70, 10, 40, 90, 20, 55];
    const shuffled = [75, 0, 100, 50, 25];
    const colours = [...assignPaletteColors(greys(...regions), [3, 1, 4, 1, 5, 9], greys(...shuffled))];
    const byLightness = [...regions.keys()].sort((a, b) => regions[a]! - regions[b]!);
    assert.ok(isNonDecreasing(byLightness.map((i) => shuffled[colours[i]!]!)), `colours ${colours}`);
    assert.equal(shuffled[colours[1]!], 0, 'darkest region, darkest colour');
    assert.equal(shuffled[colours[3]!], 100, 'lightest region, lightest colour');
  });

  it('gives regions spread like the palette one colour each', () => {
    assert.deepEqual([...assignPaletteColors(greys(0, 25, 50, 75, 100), [1, 1, 1, 1, 1], greys(10, 30, 50, 70, 90))], [0, 1, 2, 3, 4]);
  });

  it('gives the biggest region the colour that fits its lightness best', () => {
    const colours = greys(0, 40, 60, 100);
    assert.equal(assignPaletteColors(greys(0, 60, 100), [1, 1000, 1], colours)[1], 2);
    assert.equal(assignPaletteColors(greys(0, 40, 100), [1, 1000, 1], colours)[1], 1);
  });

  it('keeps clearly different regions apart even when their lightness would give them one colour', () => {
    // A red and a green region of the same lightness: by lightness alone both would take the mid grey.
    const regions = labs([0, 0, 0], [50, 40, 20], [50, -40, 20], [100, 0, 0]);
    const colours = greys(0, 50, 52, 80, 100);
    const result = [...assignPaletteColors(regions, [1, 1, 1, 1], colours)];
    const lightness = [0, 50, 52, 80, 100];
    assert.ok(Math.abs(lightness[result[1]!]! - lightness[result[2]!]!) >= 10, `red and green got ${result}`);
    assert.ok(isNonDecreasing([0, 1, 3].map((i) => lightness[result[i]!]!)));
  });

  it('lets regions that hardly differ share a colour', () => {
    assert.deepEqual([...assignPaletteColors(greys(90, 91), [5, 5], palette)], [4, 4]);
  });

  it('compares absolute lightness when there is a single region (or the colours barely differ)', () => {
    assert.deepEqual([...assignPaletteColors(greys(62), [5], palette)], [2]);
    assert.deepEqual([...assignPaletteColors(greys(10, 90), [1, 1], greys(70, 72))], [0, 1]);
  });

  it('when there are more distinct regions than colours, the smallest regions give way', () => {
    const result = [...assignPaletteColors(greys(0, 30, 60, 100), [100, 1, 100, 100], greys(0, 60, 100))];
    assert.deepEqual([result[0], result[2], result[3]], [0, 1, 2], 'the big regions keep their own colours');
  });

  it('handles no regions', () => {
    assert.equal(assignPaletteColors(new Float64Array(0), [], palette).length, 0);
  });
});

describe('chooseRegions', () => {
  // White ground, dark red disc, and a third cluster in between.
  const anchors = (third: number[]) => Float64Array.from([250, 250, 250, 120, 20, 20, ...third]);

  it('treats a thin cluster halfway between two regions as their antialiased edge', () => {
    assert.deepEqual(chooseRegions(anchors([185, 135, 135]), [600, 300, 10], [0.9, 0.9, 0.1]), [true, true, false]);
  });

  it('keeps a cluster with interior, or off the segment, as a region', () => {
    assert.deepEqual(chooseRegions(anchors([185, 135, 135]), [600, 300, 100], [0.9, 0.9, 0.8]), [true, true, true], 'a band with interior');
    assert.deepEqual(chooseRegions(anchors([40, 160, 60]), [600, 300, 10], [0.9, 0.9, 0.1]), [true, true, true], 'a thin green line');
  });
});

describe('mergeClusters', () => {
  it('merges the closest clusters (Ward) into pixel-weighted groups', () => {
    const lab = Float64Array.from([10, 0, 0, 90, 0, 0, 12, 0, 0, 88, 0, 0]);
    const groups = mergeClusters(lab, [1, 3, 3, 1], 2);
    assert.deepEqual([...groups.groupOf], [0, 1, 0, 1]);
    assert.deepEqual([...groups.pixels], [4, 4]);
    assert.equal(groups.lab[0], 11.5);
    assert.equal(groups.lab[3], 89.5);
  });

  it('keeps the clusters when the target is not smaller', () => {
    const groups = mergeClusters(Float64Array.from([1, 2, 3, 4, 5, 6]), [7, 8], 10);
    assert.deepEqual([...groups.groupOf], [0, 1]);
    assert.deepEqual([...groups.lab], [1, 2, 3, 4, 5, 6]);
  });
});

describe('k-means', () => {
  const blobs = (): WeightedPoints => {
    const random = createPrng(7);
    const centres = [
      [20, 10, -10],
      [50, -40, 30],
      [85, 5, 60],
    ];
    const coords = new Float64Array(300 * 3);
    for (let i = 0; i < 300; i++) {
      const centre = centres[i % 3]!;
      for (let c = 0; c < 3; c++) coords[i * 3 + c] = centre[c]! + (random() - 0.5) * 4;
    }
    return { coords, weights: new Float64Array(300).fill(1), count: 300 };
  };

  it('createPrng is seeded and in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const values = Array.from({ length: 100 }, () => a());
    assert.deepEqual(values, Array.from({ length: 100 }, () => b()));
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.notDeepEqual(values, Array.from({ length: 100 }, createPrng(43)));
  });

  it('finds well-separated clusters, deterministically', () => {
    const centroids = fitKMeans(blobs(), 3, { seed: 1 });
    const lightness = [centroids[0]!, centroids[3]!, centroids[6]!].sort((a, b) => a - b);
    lightness.forEach((l, i) => assert.ok(Math.abs(l - [20, 50, 85][i]!) < 1.5, `L ${l}`));
    assert.deepEqual([...fitKMeans(blobs(), 3, { seed: 1 })], [...centroids]);
  });

  it('returns fewer centroids than k when there are fewer distinct points', () => {
    const points: WeightedPoints = { coords: Float64Array.from([1, 1, 1, 9, 9, 9]), weights: Float64Array.from([5, 2]), count: 2 };
    assert.equal(fitKMeans(points, 10, { seed: 3 }).length, 6);
    assert.equal(fitKMeans({ coords: new Float64Array(0), weights: new Float64Array(0), count: 0 }, 10, { seed: 3 }).length, 0);
  });
});

describe('sampleVisibleColours', () => {
  const words = (rgba: number[][]) => Uint32Array.from(rgba, ([r, g, b, a]) => (r! | (g! << 8) | (b! << 16) | (a! << 24)) >>> 0);

  it('skips transparent pixels and weights each distinct colour by its count', () => {
    const pixels = words([
      [255, 0, 0, 0],
      [0, 0, 255, 255],
      [0, 0, 255, 255],
      [255, 255, 255, 10],
      [255, 0, 0, 0],
    ]);
    const sample = sampleVisibleColours(pixels, 100, 1);
    assert.equal(sample.count, 2);
    assert.deepEqual([...sample.weights], [2, 1]);
    assert.ok(sample.coords[0]! < 40 && sample.coords[3]! > 99, 'blue first, then white');
  });

  it('caps the sample and is deterministic', () => {
    const pixels = Uint32Array.from({ length: 10_000 }, (_, i) => ((i % 251) | ((i % 7) << 8) | (0xff << 24)) >>> 0);
    const a = sampleVisibleColours(pixels, 500, 9);
    const b = sampleVisibleColours(pixels, 500, 9);
    assert.equal([...a.weights].reduce((x, y) => x + y, 0), 500);
    assert.deepEqual([...a.coords], [...b.coords]);
    assert.deepEqual([...a.weights], [...b.weights]);
  });
});

describe('AnalysisCache', () => {
  it('keeps the most recently used analyses and shares one analysis between concurrent callers', async () => {
    const cache = new AnalysisCache(2);
    const images = await Promise.all([10, 11, 12].map((size) => logoPng(size)));
    const [first, again] = await Promise.all([cache.analyze(images[0]!), cache.analyze(images[0]!)]);
    assert.equal(first, again);
    await cache.analyze(images[1]!);
    assert.equal(await cache.analyze(images[0]!), first, 'touch image 0: it becomes most recent');
    await cache.analyze(images[2]!); // evicts image 1
    assert.equal(cache.size, 2);
    assert.equal(await cache.analyze(images[0]!), first, 'image 0 survived');
  });

  it('evicts by pixel budget but always keeps the newest entry', async () => {
    const cache = new AnalysisCache(4, 150);
    await cache.analyze(await logoPng(10));
    await cache.analyze(await logoPng(11));
    assert.equal(cache.size, 1);
    await cache.analyze(await rgbPng(20, 20, () => [1, 2, 3]));
    assert.equal(cache.size, 1, 'a single over-budget entry is kept');
  });

  it('does not keep failed analyses', async () => {
    const cache = new AnalysisCache();
    await assert.rejects(cache.analyze(Buffer.from('nope')));
    assert.equal(cache.size, 0);
  });
});

describe('RawBufferPool', () => {
  it('reuses released buffers of the same size within its byte budget', () => {
    const pool = new RawBufferPool(100);
    const a = pool.acquire(40);
    assert.equal(a.byteOffset % 4, 0);
    pool.release(a);
    assert.equal(pool.acquire(40), a);
    assert.notEqual(pool.acquire(40), a, 'not handed out twice');
    pool.release(a);
    pool.release(Buffer.allocUnsafeSlow(40));
    pool.release(Buffer.allocUnsafeSlow(40)); // over budget: the oldest (a) is dropped
    assert.equal(pool.retained, 80);
    assert.notEqual(pool.acquire(40), a);
    pool.release(Buffer.allocUnsafeSlow(200));
    assert.equal(pool.retained, 40, 'buffers over the budget are not kept');
  });
});
