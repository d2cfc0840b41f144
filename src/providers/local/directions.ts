/**
 * Palette directions of the local provider: each one a different take on the theme's colours —
 * its own hue or a neighbour or a contrasting partner (hue family), a light, standard, deep or
 * colour-block spread of lightness (light/dark structure), and vivid, muted or neutral tones
 * (saturation). They extend the classic harmony rules (monochromatic, analogous, complementary,
 * high contrast, light/dark) into five-colour palettes made for recolouring a logo:
 *
 * Colours are placed by role, at the relative lightness the recolour engine maps logo regions by
 * (palette-mapping.ts): for a logo on a light ground, from dark to light, ink (outlines, text),
 * extra (second shade), main (the logo's body), accent (details) and ground (background); on a
 * dark ground, ground is the dark end and ink the light one. So a palette's main colour lands on
 * the logo's main region, and its ground colour on the background.
 */
import { hueDistance, type Oklch } from '../../imaging/logo/index.js';

/** The theme's colour intent, as read from its words. */
export interface ThemeColour {
  hue: number;
  /** A second hue the theme asks for, or null. */
  secondaryHue: number | null;
  /** OKLCH chroma of the theme's colours. */
  chroma: number;
  /** Lightness bias, -0.15 … +0.15. */
  lightnessShift: number;
  /** The theme reads dark (night, neon, luxury): its logos sit on a dark ground. */
  darkGround: boolean;
  /** The theme names its colour (a colour or mood word); else any hue suits it equally. */
  hueFromWords: boolean;
}

export type Role = 'ink' | 'extra' | 'main' | 'accent' | 'ground';
export const ROLES: readonly Role[] = ['ink', 'extra', 'main', 'accent', 'ground'];

interface Tone {
  h: number;
  c: number;
}

/** OKLCH lightness of a palette's darkest and lightest colour, for logos on a light and on a dark ground. */
interface Ends {
  onLight: [dark: number, light: number];
  onDark: [dark: number, light: number];
}

/** Relative lightness (0 darkest … 1 lightest) of each role. */
const POSITIONS: Record<'onLight' | 'onDark', Record<Role, number>> = {
  onLight: { ink: 0, extra: 0.2, main: 0.37, accent: 0.72, ground: 1 },
  onDark: { ground: 0, extra: 0.15, main: 0.45, accent: 0.77, ink: 1 },
};

export interface Direction {
  key: string;
  /** How well the direction suits the theme, 0–1 (1: the theme's own colours). */
  fit(t: ThemeColour): number;
  ends: Ends;
  tones(t: ThemeColour): Record<Role, Tone>;
  /** A word for the direction, used to tell apart two palettes whose titles would be the same. */
  word: string;
  /** A short title from the role colours' names, e.g. "Deep Navy". */
  title(names: Record<Role, string>, t: ThemeColour): string;
  /** What sets this palette apart, as a clause. */
  difference: string;
}

const clampChroma = (t: ThemeColour) => Math.min(0.2, Math.max(0.03, t.chroma));
/** The theme's second hue when it is really a different hue, else the complement. */
const partnerHue = (t: ThemeColour) => (t.secondaryHue !== null && hueDistance(t.secondaryHue, t.hue) >= 60 ? t.secondaryHue : t.hue + 180);
const accentHue = (t: ThemeColour) => t.secondaryHue ?? t.hue + 40;
const muted = (t: ThemeColour) => t.chroma <= 0.06;
const vivid = (t: ThemeColour) => t.chroma >= 0.18;
const pale = (t: ThemeColour) => t.lightnessShift >= 0.06;
const dim = (t: ThemeColour) => t.lightnessShift <= -0.06;

/** Pale ground tints: enough colour to tell grounds apart, little enough to stay a background. */
const shift = (degrees: number): Direction => {
  const far = Math.abs(degrees) > 45;
  return {
  key: `shift${degrees}`,
  word: 'Shifted',
  // Far hues suit a theme that names no colour, and pastel sets (pastels of many hues go together).
  fit: (t) => (!far || !t.hueFromWords ? 0.85 : pale(t) ? 0.75 : 0.6),
  // Far hues also sit on a deeper-tinted ground, so near and far shifts differ in more than hue.
  ends: far ? { onLight: [0.3, 0.9], onDark: [0.24, 0.95] } : { onLight: [0.26, 0.935], onDark: [0.22, 0.96] },
  tones: (t) => {
    const h = t.hue + degrees;
    const c = Math.max(clampChroma(t), 0.06);
    return { ground: { h, c: t.darkGround ? 0.06 : far ? 0.065 : 0.05 }, main: { h, c }, ink: { h, c: c * 0.7 }, accent: { h: h + Math.sign(degrees) * 35, c: c * 0.9 }, extra: { h, c: c * 0.9 } };
  },
  title: (n) => `${n.main} on ${n.ground}`,
  difference:
    !far
      ? "a neighbouring colour family, the theme's hue turned a little round the colour wheel"
      : "a further colour family, a quarter of the way round the colour wheel from the theme's hue",
  };
};

/** All directions; the palette provider picks the ones that fit the theme and differ most. */
export const DIRECTIONS: readonly Direction[] = [
  {
    key: 'classic',
    word: 'Classic',
    fit: () => 1,
    ends: { onLight: [0.27, 0.975], onDark: [0.2, 0.97] },
    tones: (t) => {
      const c = clampChroma(t);
      const ground = t.darkGround ? Math.min(c * 0.3, 0.035) : 0.012;
      return { ground: { h: t.hue, c: ground }, main: { h: t.hue, c }, ink: { h: t.hue + 5, c: c * 0.7 }, accent: { h: accentHue(t), c: c * 0.8 }, extra: { h: t.hue - 12, c: c * 0.9 } };
    },
    title: (n) => `Classic ${n.main}`,
    difference: "the theme's own colour, closest to the logo as drawn",
  },
  {
    key: 'deep',
    word: 'Deep',
    fit: (t) => (pale(t) ? 0.55 : 0.9),
    ends: { onLight: [0.15, 0.955], onDark: [0.11, 0.9] },
    tones: (t) => {
      const c = clampChroma(t);
      return { ground: { h: t.hue + 180, c: t.darkGround ? 0.02 : 0.025 }, main: { h: t.hue + 8, c: c * 0.8 }, ink: { h: t.hue, c: c * 0.4 }, accent: { h: (t.secondaryHue ?? t.hue) - 35, c }, extra: { h: t.hue, c: c * 0.6 } };
    },
    title: (n) => `Deep ${n.main}`,
    difference: 'darker and richer, a deep main colour on an almost white ground',
  },
  {
    key: 'light',
    word: 'Soft',
    fit: (t) => (pale(t) ? 0.95 : t.darkGround || dim(t) ? 0.6 : 0.85),
    ends: { onLight: [0.45, 0.995], onDark: [0.34, 0.99] },
    tones: (t) => {
      const c = clampChroma(t);
      return { ground: { h: t.hue, c: t.darkGround ? 0.04 : 0 }, main: { h: t.hue - 20, c: c * 0.6 }, ink: { h: t.hue - 20, c: c * 0.55 }, accent: { h: t.hue + 25, c: c * 0.5 }, extra: { h: t.hue - 20, c: c * 0.6 } };
    },
    title: (n) => `Soft ${n.main}`,
    difference: 'lighter and airier, pale tones with softer contrast',
  },
  shift(40),
  shift(-40),
  {
    key: 'contrast',
    word: 'Contrast',
    fit: (t) => (t.secondaryHue !== null ? 0.9 : 0.75),
    ends: { onLight: [0.24, 0.95], onDark: [0.19, 0.97] },
    tones: (t) => {
      const c = Math.max(clampChroma(t), 0.07);
      const p = partnerHue(t);
      return { ground: { h: t.darkGround ? p : t.hue, c: t.darkGround ? 0.05 : 0.04 }, main: { h: p, c }, ink: { h: p, c: c * 0.6 }, accent: { h: t.hue, c }, extra: { h: p, c: c * 0.8 } };
    },
    title: (n) => `${n.main} & ${n.accent}`,
    difference: "a contrasting colour family leads, with the theme's hue as the accent",
  },
  {
    key: 'muted',
    word: 'Muted',
    fit: (t) => (vivid(t) ? 0.5 : muted(t) ? 0.95 : 0.8),
    ends: { onLight: [0.34, 0.87], onDark: [0.27, 0.9] },
    tones: (t) => ({
      ground: { h: t.hue + 30, c: 0.025 },
      main: { h: t.hue + 15, c: Math.min(clampChroma(t), 0.045) },
      ink: { h: t.hue, c: 0.035 },
      accent: { h: t.hue - 25, c: 0.07 },
      extra: { h: t.hue, c: 0.045 },
    }),
    title: (n) => `Muted ${n.main.replace(/^dusty |^dusky /, '')}`,
    difference: 'greyed, dusty tones for a quieter, understated look',
  },
  {
    key: 'vivid',
    word: 'Vivid',
    fit: (t) => (muted(t) || pale(t) ? 0.45 : vivid(t) ? 0.95 : 0.8),
    ends: { onLight: [0.19, 0.99], onDark: [0.13, 0.99] },
    tones: (t) => ({
      ground: { h: t.hue, c: t.darkGround ? 0.035 : 0 },
      main: { h: t.hue, c: Math.max(clampChroma(t) * 1.5, 0.19) },
      ink: { h: t.hue, c: 0.1 },
      accent: { h: t.hue + 35, c: 0.16 },
      extra: { h: t.hue - 15, c: 0.17 },
    }),
    title: (n) => `Vivid ${n.main.replace(/^vivid /, '')}`,
    difference: 'the most saturated take, with strong contrast',
  },
  {
    key: 'neutral',
    word: 'Neutral',
    fit: () => 0.75,
    ends: { onLight: [0.17, 0.93], onDark: [0.15, 0.995] },
    tones: (t) => ({
      ground: { h: t.hue, c: 0 },
      main: { h: t.hue, c: 0.012 },
      ink: { h: t.hue, c: 0.01 },
      accent: { h: t.hue, c: Math.max(clampChroma(t) * 1.2, 0.12) },
      extra: { h: t.hue, c: 0.02 },
    }),
    title: (n) => `${n.main} & ${n.accent}`,
    difference: 'neutral greys carry the logo and the theme colour is kept for one accent',
  },
  {
    key: 'block',
    word: 'Colour-block',
    fit: (t) => (pale(t) ? 0.55 : 0.7),
    ends: { onLight: [0.15, 0.78], onDark: [0.4, 0.98] },
    tones: (t) => {
      const c = clampChroma(t);
      return { ground: { h: t.hue, c: Math.max(c * 0.75, 0.08) }, main: { h: t.hue - 10, c: c * 0.7 }, ink: { h: t.hue, c: 0.04 }, accent: { h: (t.secondaryHue ?? t.hue) + 70, c }, extra: { h: t.hue, c: c * 0.6 } };
    },
    title: (n) => `${n.main} on ${n.ground}`,
    difference: 'a coloured background instead of a pale one',
  },
  shift(80),
  shift(-80),
];

/** The five colours of a direction for a theme, in role order (ink, extra, main, accent, ground). */
export function directionColours(direction: Direction, t: ThemeColour): Record<Role, Oklch> {
  const ground = t.darkGround ? 'onDark' : 'onLight';
  const [dark, light] = direction.ends[ground];
  // A light theme (pastel, airy) lifts the dark end, so the main colour turns paler too; a dark one deepens it.
  const lo = Math.min(0.58, Math.max(0.08, dark + t.lightnessShift * (t.darkGround ? 0.3 : 1.2)));
  const hi = Math.min(0.995, Math.max(lo + 0.4, light + (t.darkGround ? t.lightnessShift * 0.3 : 0)));
  const tones = direction.tones(t);
  const out = {} as Record<Role, Oklch>;
  for (const role of ROLES) out[role] = { l: lo + POSITIONS[ground][role] * (hi - lo), c: tones[role].c, h: tones[role].h };
  return out;
}
