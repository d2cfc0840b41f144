/**
 * The local provider's palettes for one run take clearly different directions (issue 11): other
 * hue families, other light/dark structures, other saturation — each still carrying the theme,
 * and named by what sets it apart. Pinned on a few fixed themes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hexToRgb, type Palette } from '../../src/domain/palette.js';
import { srgbToLab } from '../../src/imaging/lab.js';
import { hueDistance, readConceptMood, rgbToOklch } from '../../src/imaging/logo/index.js';
import { generateThemePalettes } from '../../src/providers/local/index.js';

const THEMES = ['warm sunrise, earthy', 'calm ocean, minimal', 'neon cyberpunk arcade', 'romantic pastel', 'serious and timeless'];
const LOGO = 'Atlas Partners';

const oklch = (hex: string) => rgbToOklch(...hexToRgb(hex));
function lab(hex: string): Float64Array {
  const out = new Float64Array(3);
  srgbToLab(...hexToRgb(hex), out);
  return out;
}
const deltaE = (a: string, b: string) => {
  const [x, y] = [lab(a), lab(b)];
  return Math.hypot(x[0]! - y[0]!, x[1]! - y[1]!, x[2]! - y[2]!);
};
/** Palettes come dark to light; the middle colour is the one a logo's main body takes. */
const main = (p: Palette) => p.colors[2]!;
/** The ground a logo on a light background takes (the lightest colour), or on a dark one (the darkest). */
const ground = (p: Palette, dark: boolean) => (dark ? p.colors[0]! : p.colors[4]!);

describe('local palettes: directions a person can tell apart', () => {
  for (const theme of THEMES) {
    describe(theme, () => {
      const palettes = generateThemePalettes({ themeDescription: theme, logoDescription: LOGO, count: 7 });
      const mood = readConceptMood(theme, LOGO);

      it('differ pairwise in the colours a logo shows most: the main colour or the ground', () => {
        for (let i = 0; i < palettes.length; i++) {
          for (let j = i + 1; j < palettes.length; j++) {
            const [a, b] = [palettes[i]!, palettes[j]!];
            const apart = deltaE(main(a), main(b)) + deltaE(ground(a, mood.prefersDark), ground(b, mood.prefersDark));
            assert.ok(apart >= 12, `${a.name} and ${b.name}: main + ground ΔE ${apart.toFixed(1)}`);
          }
        }
      });

      it('cover different hue families, light/dark structures and saturations', () => {
        const mains = palettes.map((p) => oklch(main(p)));
        const families = new Set(mains.filter((c) => c.c >= 0.03).map((c) => Math.round(c.h / 40)));
        assert.ok(families.size >= 3, `main colours in ${families.size} hue sectors`);
        const grounds = palettes.map((p) => oklch(ground(p, mood.prefersDark)).l);
        assert.ok(Math.max(...grounds) - Math.min(...grounds) >= 0.1, `ground lightness ${grounds.map((l) => l.toFixed(2))}`);
        // Deeper or paler main colours, or more and less saturated ones (a pastel theme stays soft).
        const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
        const lightness = spread(mains.map((c) => c.l));
        const chroma = spread(mains.map((c) => c.c));
        assert.ok(lightness >= 0.12 || chroma >= 0.03, `main lightness spread ${lightness.toFixed(2)}, chroma spread ${chroma.toFixed(3)}`);
      });

      it("still fit the theme: most palettes carry the theme's hue or a neighbour of it", () => {
        const near = palettes.filter((p) => p.colors.some((hex) => oklch(hex).c >= 0.03 && hueDistance(oklch(hex).h, mood.hue) <= 45));
        assert.ok(near.length >= 5, `${near.length} of 7 carry a hue within 45° of the theme's ${mood.hue}°`);
      });

      it('are named and described by the colours that set them apart', () => {
        assert.equal(new Set(palettes.map((p) => p.name)).size, palettes.length);
        for (const p of palettes) {
          const mainWords = /^([A-Z][a-z ]+) as the main colour/.exec(p.description)?.[1]?.toLowerCase();
          assert.ok(mainWords, p.description);
          const mainFamily = mainWords.split(' ').pop()!;
          assert.ok(p.name.toLowerCase().includes(mainFamily) || p.description.includes(mainFamily), `${p.name}: ${p.description}`);
        }
      });
    });
  }
});
