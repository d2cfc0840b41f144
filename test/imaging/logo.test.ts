/**
 * The procedural logo of the local provider: deterministic PNG bytes, 1024×1024, several colour
 * regions of clearly different lightness, keyword cues honoured, and hostile text made safe.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { hexToRgb } from '../../src/domain/palette.js';
import {
  buildLogoSvg,
  chooseLogoDesign,
  escapeXml,
  initialsFor,
  renderLogoPng,
  rgbToOklch,
  hueDistance,
} from '../../src/imaging/logo/index.js';

const texts = (logoDescription: string, themeDescription: string) => ({ logoDescription, themeDescription });

/** Colours (quantised to 4 bits per channel) covering at least 1 % of the image, with their mean luma. */
async function colourRegions(png: Buffer): Promise<{ count: number; lumas: number[] }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<number, { n: number; luma: number }>();
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const entry = counts.get(key) ?? { n: 0, luma: 0.2126 * r + 0.7152 * g + 0.0722 * b };
    entry.n++;
    counts.set(key, entry);
  }
  const minimum = (info.width * info.height) / 100;
  const big = [...counts.values()].filter((e) => e.n >= minimum);
  return { count: big.length, lumas: big.map((e) => e.luma) };
}

describe('procedural logo', () => {
  it('renders a 1024×1024 PNG', async () => {
    const png = await renderLogoPng(texts('Nimbus cloud storage', 'ocean blue'));
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 1024);
    assert.equal(meta.height, 1024);
  });

  it('gives the same bytes for the same texts', async () => {
    const a = await renderLogoPng(texts('Summit Gear mountain outfitters', 'forest green'));
    const b = await renderLogoPng(texts('Summit Gear mountain outfitters', 'forest green'));
    assert.ok(a.equals(b));
  });

  it('gives different images for different descriptions and for different themes', async () => {
    const base = await renderLogoPng(texts('Summit Gear mountain outfitters', 'forest green'));
    const otherLogo = await renderLogoPng(texts('Bean There coffee shop', 'forest green'));
    const otherTheme = await renderLogoPng(texts('Summit Gear mountain outfitters', 'sunset'));
    assert.ok(!base.equals(otherLogo));
    assert.ok(!base.equals(otherTheme));
    assert.notDeepEqual(chooseLogoDesign(texts('Summit Gear mountain outfitters', 'forest green')), chooseLogoDesign(texts('Bean There coffee shop', 'forest green')));
  });

  it('has several colour regions with clearly different lightness, whatever the design', async () => {
    const cases = [
      texts('A logo for Summit Gear, a mountain outdoor equipment shop', 'forest green'),
      texts('Monogram for Atlas Partners', 'navy corporate'),
      texts('Abstract geometric mark for Prism', 'vibrant'),
      texts('Pixel Arcade', 'neon cyberpunk'),
    ];
    for (const c of cases) {
      const { count, lumas } = await colourRegions(await renderLogoPng(c));
      assert.ok(count >= 3, `${c.logoDescription}: ${count} colour regions`);
      assert.ok(Math.max(...lumas) - Math.min(...lumas) >= 100, `${c.logoDescription}: lightness spread ${Math.max(...lumas) - Math.min(...lumas)}`);
    }
  });

  it('picks a glyph from keywords in the logo description', () => {
    assert.equal(chooseLogoDesign(texts('Bean There coffee shop', 'warm')).glyph, 'coffee');
    assert.equal(chooseLogoDesign(texts('Launchpad rocket startup', 'warm')).glyph, 'rocket');
    assert.equal(chooseLogoDesign(texts('Quiet developer tools with code brackets', 'tech')).glyph, 'code');
    assert.equal(chooseLogoDesign(texts('Harbor Lights sailing club', 'nautical')).glyph, 'anchor');
    assert.equal(chooseLogoDesign(texts('Pixel Forge game studio', 'neon')).glyph, 'gamepad');
    assert.equal(chooseLogoDesign(texts('Atlas Partners', 'tech')).glyph, null);
  });

  it('takes its colours from the theme: ocean is blue, sunset is orange', () => {
    const hueOf = (hex: string) => rgbToOklch(...hexToRgb(hex)).h;
    const ocean = chooseLogoDesign(texts('Atlas Partners', 'calm ocean')).colors.primary;
    const sunset = chooseLogoDesign(texts('Atlas Partners', 'sunset')).colors.primary;
    assert.ok(hueDistance(hueOf(ocean), 240) < 40, `ocean primary ${ocean}`);
    assert.ok(hueDistance(hueOf(sunset), 50) < 40, `sunset primary ${sunset}`);
  });

  it('covers every layout, style and shape across descriptions', () => {
    const layouts = new Set<string>();
    const styles = new Set<string>();
    const shapes = new Set<string>();
    const subjects = ['Atlas', 'Bean There coffee', 'Summit mountain', 'Prism', 'Kite', 'Orbit analytics', 'Northwind', '!!!'];
    for (const subject of subjects) {
      for (const theme of ['ocean', 'sunset', 'forest', 'neon', 'minimal', 'royal purple']) {
        const design = chooseLogoDesign(texts(subject, theme));
        layouts.add(design.layout);
        styles.add(design.style);
        shapes.add(design.shape);
      }
    }
    assert.deepEqual([...layouts].sort(), ['emblem', 'emblem-with-initials', 'geometric', 'monogram', 'rings']);
    assert.deepEqual([...styles].sort(), ['duotone', 'flat', 'gradient', 'outline']);
    assert.deepEqual([...shapes].sort(), ['circle', 'diamond', 'hexagon', 'rounded-square', 'shield']);
  });

  it('makes initials from significant words only', () => {
    assert.equal(initialsFor('A logo for Blue Harbor Coffee'), 'BH');
    assert.equal(initialsFor('mountain bike repair shop'), 'MB');
    assert.equal(initialsFor('Nimbus'), 'N');
    assert.equal(initialsFor('a modern logo for "quiet fox" studio'), 'QF');
    assert.equal(initialsFor('<&"\'> !!!'), '');
  });

  it('escapes hostile text and still renders it', async () => {
    assert.equal(escapeXml(`<&"'>`), '&#60;&#38;&#34;&#39;&#62;');
    const hostile = texts(`<script>&amp; "Tom & Jerry's" </svg><text>`, `"><rect fill='red'/> ocean &`);
    for (const layout of ['monogram', 'emblem-with-initials'] as const) {
      const design = { ...chooseLogoDesign(hostile), layout, initials: `<&"'` };
      const svg = buildLogoSvg(design);
      assert.ok(!svg.includes(`<&"'`), 'raw markup characters must not reach the SVG');
      assert.ok(svg.includes('&#60;&#38;&#34;&#39;'));
      const rendered = await sharp(Buffer.from(svg)).png().toBuffer();
      assert.equal((await sharp(rendered).metadata()).width, 1024);
    }
    const png = await renderLogoPng(hostile);
    assert.equal((await sharp(png).metadata()).height, 1024);
  });
});
