/**
 * Variations a person can tell apart (issue 11), pinned end to end on a few fixed descriptions:
 * the local logo, the local provider's 7 palettes and the recolour engine, measured as the quality
 * benchmark measures them (test/support/variation-quality.ts, 64 × 64 downscales, CIE76 ΔE).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeImageBytes } from '../../src/imaging/image-analysis.js';
import { recolour } from '../../src/imaging/recolour.js';
import { createLocalImageProvider, generateThemePalettes } from '../../src/providers/local/index.js';
import { collapsedPairs, findBaseRegions, lightnessFlips, measureRun, paletteColoursShown, regionColours } from '../support/variation-quality.js';

const RUNS: [logo: string, theme: string][] = [
  // The issue's own example: seven orange bodies before.
  ['Summit Coffee, a mountain peak', 'warm sunrise, earthy'],
  // A dark ground with a gradient fill.
  ['Pixel Forge, a game studio', 'neon cyberpunk arcade'],
  // An outline logo: mostly background.
  ['Cactus Cantina', 'desert southwest fiesta'],
  // A theme without any colour word the code knows.
  ['Atlas Partners law firm', 'serious and timeless'],
];

async function run(logoDescription: string, themeDescription: string) {
  const base = (await createLocalImageProvider().generateLogo({ logoDescription, themeDescription })).bytes;
  const palettes = generateThemePalettes({ themeDescription, logoDescription, count: 7 });
  const analysis = await analyzeImageBytes(base);
  const variations = await Promise.all(palettes.map(async (p) => (await recolour(analysis, p.colors)).bytes));
  return { base, palettes, variations };
}

describe('palette variations of one run', () => {
  for (const [logo, theme] of RUNS) {
    it(`${logo} / ${theme}: differ from each other and from the logo, stay legible, show their palette`, async () => {
      const { base, palettes, variations } = await run(logo, theme);
      const quality = await measureRun(base, variations);
      assert.ok(quality.minPair >= 10, `closest pair ΔE ${quality.minPair.toFixed(1)}`);
      assert.ok(quality.meanPair >= 20, `mean pair ΔE ${quality.meanPair.toFixed(1)}`);
      assert.ok(quality.meanFromBase >= 15, `mean ΔE from the base ${quality.meanFromBase.toFixed(1)}`);
      assert.ok(quality.distinctPairs >= 1, 'the logo has regions that differ');

      const regions = await findBaseRegions(base);
      for (const [i, variation] of variations.entries()) {
        const colours = await regionColours(variation, regions);
        assert.deepEqual(collapsedPairs(regions.baseLab, colours), [], `${palettes[i]!.name}: regions that differ in the logo stay apart`);
        assert.equal(lightnessFlips(regions.baseLab, colours), 0, `${palettes[i]!.name}: lighter regions stay lighter`);
        const shown = await paletteColoursShown(variation, palettes[i]!.colors);
        assert.ok(shown >= Math.min(3, regions.interiors.length), `${palettes[i]!.name}: ${shown} palette colours shown`);
      }
    });
  }

  it('is deterministic: the same description gives the same variation bytes', async () => {
    const [first, second] = await Promise.all([run(...RUNS[0]!), run(...RUNS[0]!)]);
    first.variations.forEach((bytes, i) => assert.ok(Buffer.from(bytes).equals(Buffer.from(second.variations[i]!))));
  });
});
