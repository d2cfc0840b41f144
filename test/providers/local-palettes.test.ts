/**
 * The local palette provider: exactly the asked number of distinct, readable five-colour palettes,
 * named and described, deterministic, and coloured by the theme's words.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorType, InvalidInputError } from '../../src/domain/errors.js';
import { hexToRgb, normalizeHex, paletteKey, type Palette } from '../../src/domain/palette.js';
import { rgbToOklch } from '../../src/imaging/logo/index.js';
import { createLocalPaletteProvider, generateThemePalettes } from '../../src/providers/local/index.js';

const provider = createLocalPaletteProvider();
const ask = (themeDescription: string, count: number, logoDescription = 'Atlas Partners') =>
  provider.generatePalettes({ themeDescription, logoDescription, count });

const lightness = (hex: string) => rgbToOklch(...hexToRgb(hex)).l;
/** How much bluer than red a palette is on average (positive: blue-ish). */
const blueness = (palettes: Palette[]) => {
  const all = palettes.flatMap((p) => p.colors.map(hexToRgb));
  return all.reduce((sum, [r, , b]) => sum + (b - r), 0) / all.length;
};

describe('local palette provider', () => {
  it('is named local', () => {
    assert.equal(provider.name, 'local');
  });

  it('returns exactly count palettes (1–12) of five lower-case #rrggbb colours, all distinct', async () => {
    for (let count = 1; count <= 12; count++) {
      const palettes = await ask('calm ocean at dawn', count);
      assert.equal(palettes.length, count);
      for (const p of palettes) {
        assert.equal(p.colors.length, 5);
        for (const c of p.colors) assert.match(c, /^#[0-9a-f]{6}$/);
        assert.ok(p.colors.every((c) => normalizeHex(c) === c));
        assert.equal(new Set(p.colors).size, 5, `${p.name} repeats a colour`);
      }
      assert.equal(new Set(palettes.map(paletteKey)).size, count, 'palettes must be distinct');
      assert.equal(new Set(palettes.map((p) => p.name)).size, count, 'names must be distinct');
    }
  });

  it('names and describes every palette by what it looks like', async () => {
    const palettes = await ask('calm ocean', 12);
    for (const p of palettes) {
      assert.match(p.name, /^Ocean [A-Z]/);
      assert.ok(p.description.length > 20 && p.description.endsWith('.'), p.description);
      // "<Main colour> as the main colour on a <ground> ground, …: <what sets it apart>."
      assert.match(p.description, /^[A-Z][a-z ]+ as the main colour on an? [a-z ]+ ground, with .+: .+\.$/);
    }
    assert.equal(new Set(palettes.map((p) => p.description)).size, 12, 'descriptions differ');
  });

  it('spreads each palette from dark to light, so it stays readable', async () => {
    for (const theme of ['calm ocean', 'pastel dreams', 'neon cyberpunk', 'minimal grey', 'luxury black and gold']) {
      for (const p of await ask(theme, 12)) {
        const ls = p.colors.map(lightness);
        assert.ok(Math.max(...ls) - Math.min(...ls) >= 0.4, `${theme} / ${p.name}: ${p.colors.join(' ')}`);
      }
    }
  });

  it('is deterministic', async () => {
    assert.deepEqual(await ask('sunset over the desert', 7), await ask('sunset over the desert', 7));
  });

  it('follows the theme words: ocean palettes are bluer than sunset palettes', async () => {
    const ocean = await ask('deep ocean', 7);
    const sunset = await ask('warm sunset', 7);
    assert.ok(blueness(ocean) > 0, `ocean blueness ${blueness(ocean)}`);
    assert.ok(blueness(sunset) < 0, `sunset blueness ${blueness(sunset)}`);
    assert.notDeepEqual(await ask('forest', 3), await ask('neon', 3));
  });

  it('gives different themes without colour words different colours', async () => {
    const a = await ask('friendly and modern', 3, 'Atlas');
    const b = await ask('serious and timeless', 3, 'Atlas');
    assert.notDeepEqual(a.map((p) => p.colors), b.map((p) => p.colors));
  });

  it('falls back to the logo description for colour intent when the theme names none', () => {
    const coffee = generateThemePalettes({ themeDescription: 'friendly and modern', logoDescription: 'a coffee roastery', count: 2 });
    const direct = generateThemePalettes({ themeDescription: 'coffee', count: 2 });
    assert.deepEqual(coffee.map((p) => p.colors), direct.map((p) => p.colors));
  });

  it('rejects counts outside 1–12 as invalid input', async () => {
    for (const count of [0, 13, -1, 2.5, Number.NaN]) {
      await assert.rejects(ask('ocean', count), (err: unknown) => err instanceof InvalidInputError && err.type === ErrorType.InvalidInput && !err.retryable);
    }
  });
});
