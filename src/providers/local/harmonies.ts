/**
 * Colour-harmony rules for the local palette provider. Each rule turns a base hue and chroma into
 * five OKLCH colours spread from dark to light (so text and shapes stay readable), plus a title and
 * a one-sentence description.
 */
import { hueFamilyName, type Oklch } from '../../imaging/logo/index.js';

export interface HarmonyBase {
  hue: number;
  /** A second hue the theme asks for, or null. */
  secondaryHue: number | null;
  chroma: number;
  lightnessShift: number;
}

export interface HarmonyRule {
  title: string;
  colors(base: HarmonyBase): Oklch[];
  describe(base: HarmonyBase): string;
}

const family = (hue: number) => hueFamilyName(hue);
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Distinct colour words for a list of hues, joined as "a, b and c". */
function families(...hues: number[]): string {
  const names = [...new Set(hues.map(family))];
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Five tones of one rule, lightness nudged by the theme and kept printable. */
function tones(base: HarmonyBase, spec: [l: number, cScale: number, hueOffset: number][]): Oklch[] {
  return spec.map(([l, cScale, offset]) => ({
    l: Math.min(0.97, Math.max(0.14, l + base.lightnessShift * (l > 0.5 ? 0.5 : 0.3))),
    c: base.chroma * cScale,
    h: base.hue + offset,
  }));
}

/** The rules in the order palettes are handed out: the most generally useful first. */
export const HARMONY_RULES: readonly HarmonyRule[] = [
  {
    title: 'Analogous',
    colors: (b) => tones(b, [[0.3, 0.8, -40], [0.46, 1, -20], [0.61, 1, 0], [0.76, 0.9, 20], [0.92, 0.45, 40]]),
    describe: (b) => `Neighbouring ${families(b.hue - 40, b.hue, b.hue + 40)} hues that sit side by side on the colour wheel for a calm, cohesive look.`,
  },
  {
    title: 'Monochromatic',
    colors: (b) => tones(b, [[0.24, 0.7, 0], [0.4, 0.9, 0], [0.56, 1, 0], [0.74, 0.8, 0], [0.94, 0.3, 0]]),
    describe: (b) => `Shades of ${family(b.hue)} from deep to pale: unified, calm and easy to apply.`,
  },
  {
    title: 'Complementary',
    colors: (b) => tones(b, [[0.27, 0.7, 0], [0.52, 1, 0], [0.67, 1, 180], [0.82, 0.6, 180], [0.95, 0.25, 0]]),
    describe: (b) => `${capitalise(family(b.hue))} balanced by its opposite, ${family(b.hue + 180)}, for energy with clear contrast.`,
  },
  {
    title: 'Split Complementary',
    colors: (b) => tones(b, [[0.3, 0.8, 0], [0.55, 1, 0], [0.68, 1, 150], [0.8, 0.9, 210], [0.95, 0.2, 0]]),
    describe: (b) => `${capitalise(family(b.hue))} with ${families(b.hue + 150, b.hue + 210)} accents on either side of its complement: contrast that stays harmonious.`,
  },
  {
    title: 'Triadic',
    colors: (b) => tones(b, [[0.22, 0.35, 0], [0.5, 1.1, 0], [0.66, 1.1, 120], [0.78, 1, 240], [0.95, 0.2, 0]]),
    describe: (b) => `Evenly spaced ${families(b.hue, b.hue + 120, b.hue + 240)} for a lively, balanced scheme.`,
  },
  {
    title: 'High Contrast',
    colors: (b) => tones(b, [[0.16, 0.2, 0], [0.38, 1.2, 0], [0.6, 1.5, 0], [0.76, 1.4, 180], [0.98, 0.05, 0]]),
    describe: (b) => `Near-black and near-white anchors with vivid ${families(b.hue, b.hue + 180)} accents for maximum legibility.`,
  },
  {
    title: 'Dark',
    colors: (b) => tones(b, [[0.16, 0.5, 0], [0.23, 0.7, 10], [0.32, 0.9, -10], [0.45, 1, 20], [0.86, 0.9, 180]]),
    describe: (b) => `Deep ${family(b.hue)} tones with a bright ${family(b.hue + 180)} highlight, made for dark backgrounds and night modes.`,
  },
  {
    title: 'Light',
    colors: (b) => tones(b, [[0.44, 0.8, 0], [0.78, 0.55, -25], [0.85, 0.5, 25], [0.91, 0.4, 0], [0.97, 0.2, 0]]),
    describe: (b) => `Airy ${families(b.hue - 25, b.hue + 25)} tints with one deeper tone for text, made for light, open layouts.`,
  },
  {
    title: 'Blend',
    colors: (b) => {
      const span = (((b.secondaryHue ?? b.hue + 70) - b.hue + 540) % 360) - 180;
      return tones(b, [[0.3, 0.9, 0], [0.45, 1, span * 0.25], [0.6, 1, span * 0.5], [0.74, 1, span * 0.75], [0.88, 0.8, span]]);
    },
    describe: (b) => `A smooth ramp from ${family(b.hue)} to ${family(b.secondaryHue ?? b.hue + 70)}, ideal for gradients and layered shapes.`,
  },
  {
    title: 'Accented Neutral',
    colors: (b) => tones(b, [[0.2, 0.12, 0], [0.45, 0.1, 0], [0.62, 1.3, 0], [0.8, 0.08, 0], [0.96, 0.05, 0]]),
    describe: (b) => `Quiet neutrals lifted by a single ${family(b.hue)} accent, clean and professional.`,
  },
  {
    title: 'Muted',
    colors: (b) => tones(b, [[0.28, 0.4, 15], [0.44, 0.45, 0], [0.6, 0.5, 35], [0.75, 0.45, -20], [0.9, 0.3, 0]]),
    describe: (b) => `Softened, dusty ${families(b.hue, b.hue + 35)} tones for an understated, mature feel.`,
  },
  {
    title: 'Square',
    colors: (b) => tones(b, [[0.24, 0.5, 0], [0.52, 1.1, 0], [0.64, 1.1, 90], [0.74, 1.1, 180], [0.84, 1, 270]]),
    describe: (b) => `Four hues spaced around the wheel (${families(b.hue, b.hue + 90, b.hue + 180, b.hue + 270)}) over a dark anchor: bold and playful.`,
  },
];
