/**
 * Theme palettes of the local provider: the theme text's colour intent (colour and mood words →
 * hue, chroma, lightness) turned into palettes that each take a clearly different direction
 * (directions.ts) while fitting the theme. Always exactly `count` distinct palettes of five
 * `#rrggbb` colours, each spread from dark to light, named and described by what sets it apart.
 *
 * Which directions: the set whose variations of two model logos (the local logo's colour roles with
 * typical areas, filled and outlined, recoloured by the engine's own mapping) differ most from each
 * other and from the logo as drawn, weighed against how well they fit the theme. So the palettes of
 * a run look different once applied, not only on paper.
 * Deterministic.
 */
import { assertPaletteCount, hexToRgb, paletteKey, type Palette } from '../../domain/palette.js';
import { srgbToLab } from '../../imaging/lab.js';
import { oklchToHex, readConceptMood, rgbToOklch, yellowLift, type Oklch } from '../../imaging/logo/index.js';
import { assignPaletteColors } from '../../imaging/palette-mapping.js';
import { capitalise, colourName, titleCase } from './colour-names.js';
import { DIRECTIONS, directionColours, ROLES, type Direction, type Role, type ThemeColour } from './directions.js';

export interface ThemePaletteRequest {
  themeDescription: string;
  /** Used for colour intent only when the theme names no colour or mood. */
  logoDescription?: string;
  count: number;
}

/** Hue nudge (degrees) when a direction would repeat an earlier palette's colours. */
const NUDGE = 11;

interface Candidate {
  direction: Direction;
  colours: Record<Role, Oklch>;
  hex: string[];
  /** Each model logo recoloured with this palette: Lab per model region. */
  rendered: Float64Array[];
}

interface ModelLogo {
  lab: Float64Array;
  shares: number[];
}

function hexLab(hex: string, out: Float64Array, offset: number): void {
  const [r, g, b] = hexToRgb(hex);
  srgbToLab(r, g, b, out, offset);
}

/**
 * The local logo's colour roles for a theme (see imaging/logo/design.ts: ground, main, deep,
 * accent, light) with the areas they typically cover: in a filled design (a coloured body on the
 * ground) and in an outline design (mostly ground, a dark outline).
 */
function modelLogos(t: ThemeColour): ModelLogo[] {
  const c = t.chroma;
  const s = t.lightnessShift;
  const roles: Oklch[] = [
    t.darkGround ? { l: 0.2, c: Math.min(c * 0.3, 0.035), h: t.hue } : { l: 0.975, c: Math.min(c * 0.15, 0.015), h: t.hue },
    { l: 0.57 + s * 0.5 + yellowLift(t.hue), c, h: t.hue },
    { l: 0.31 + s * 0.3, c: c * 0.75, h: t.hue + 8 },
    { l: 0.81 + s * 0.3, c: Math.max(c, 0.06), h: t.secondaryHue ?? t.hue + 180 },
    { l: 0.985, c: Math.min(c * 0.1, 0.01), h: t.hue },
  ];
  const lab = new Float64Array(roles.length * 3);
  roles.forEach((colour, i) => hexLab(oklchToHex(colour), lab, i * 3));
  return [
    { lab, shares: [0.5, 0.3, 0.1, 0.06, 0.04] },
    { lab, shares: [0.85, 0.01, 0.11, 0.03, 0] },
  ];
}

/** The model logo's regions in the palette colours the recolour engine would give them. */
function renderModel(model: ModelLogo, hex: string[]): Float64Array {
  const palette = new Float64Array(hex.length * 3);
  hex.forEach((h, i) => hexLab(h, palette, i * 3));
  const colourOf = assignPaletteColors(model.lab, model.shares, palette);
  const out = new Float64Array(model.lab.length);
  colourOf.forEach((colour, region) => out.set(palette.subarray(colour * 3, colour * 3 + 3), region * 3));
  return out;
}

/** How different two palettes look on the model logos: the smallest area-weighted mean ΔE76. */
function difference(models: ModelLogo[], a: Candidate, b: Candidate): number {
  return Math.min(
    ...models.map((model, m) => {
      const x = a.rendered[m]!;
      const y = b.rendered[m]!;
      return model.shares.reduce((sum, share, r) => sum + share * Math.hypot(x[r * 3]! - y[r * 3]!, x[r * 3 + 1]! - y[r * 3 + 1]!, x[r * 3 + 2]! - y[r * 3 + 2]!), 0);
    }),
  );
}

function candidate(direction: Direction, t: ThemeColour, models: ModelLogo[], seen: Set<string>): Candidate {
  for (let attempt = 0; ; attempt++) {
    const nudged = { ...t, hue: t.hue + attempt * NUDGE };
    const colours = directionColours(direction, nudged);
    const hex = ROLES.map((role) => oklchToHex(colours[role]));
    const key = paletteKey({ colors: hex });
    if ((seen.has(key) || new Set(hex).size < hex.length) && attempt < 32) continue;
    seen.add(key);
    return { direction, colours, hex, rendered: models.map((model) => renderModel(model, hex)) };
  }
}

/** How many ΔE of difference a direction that does not fit the theme at all must make up for. */
const FIT_WEIGHT = 15;
/** Beyond this difference (model ΔE) being more different counts no more: fit decides. */
const ENOUGH_DIFFERENCE = 20;
/** Weight of the mean difference, which breaks ties between sets with the same closest pair. */
const MEAN_WEIGHT = 0.1;

/** Each k-element subset of 0 … n−1, in lexicographic order. */
function* subsets(n: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i--;
    if (i < 0) return;
    pick[i]!++;
    for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1]! + 1;
  }
}

/**
 * The set of `count` directions whose variations (and the logo as drawn) are farthest apart at
 * their closest pair, less a penalty for fitting the theme less well; ties go to the larger mean
 * difference. Exhaustive (at most 924 sets of 12 directions). Handed out best-fitting first.
 */
function choose(candidates: Candidate[], t: ThemeColour, models: ModelLogo[], count: number): Candidate[] {
  const n = candidates.length;
  const base = { rendered: models.map((m) => m.lab) } as Candidate;
  const all = [...candidates, base];
  const distance = all.map((a) => all.map((b) => Math.min(difference(models, a, b), ENOUGH_DIFFERENCE)));
  const misfit = candidates.map((c) => 1 - c.direction.fit(t));
  let best: number[] = [];
  let bestScore = -Infinity;
  for (const set of subsets(n, Math.min(count, n))) {
    let closest = Infinity;
    let sum = 0;
    let pairs = 0;
    let penalty = 0;
    for (let i = 0; i < set.length; i++) {
      const a = set[i]!;
      penalty += misfit[a]!;
      closest = Math.min(closest, distance[a]![n]!);
      for (let j = i + 1; j < set.length; j++) {
        const d = distance[a]![set[j]!]!;
        closest = Math.min(closest, d);
        sum += d;
        pairs++;
      }
    }
    const score = closest + MEAN_WEIGHT * (pairs ? sum / pairs : 0) - (FIT_WEIGHT * penalty) / set.length;
    if (score > bestScore) {
      bestScore = score;
      best = set;
    }
  }
  return best.map((i) => candidates[i]!).sort((a, b) => b.direction.fit(t) - a.direction.fit(t));
}

/** Names of the palette's role colours, as measured from the final hex colours. */
function roleNames(c: Candidate): Record<Role, string> {
  const names = {} as Record<Role, string>;
  ROLES.forEach((role, i) => {
    names[role] = colourName(rgbToOklch(...hexToRgb(c.hex[i]!)));
  });
  return names;
}

function describe(c: Candidate, t: ThemeColour): { title: string; description: string } {
  const n = roleNames(c);
  const title = titleCase(c.direction.title(n, t));
  const description =
    `${capitalise(n.main)} as the main colour on ${/^[aeiou]/.test(n.ground) ? 'an' : 'a'} ${n.ground} ground, ` +
    `with ${n.ink} ${t.darkGround ? 'highlights' : 'lines'} and ${n.accent} details: ${c.direction.difference}.`;
  return { title, description };
}

/** `count` (1–12) distinct palettes for a theme; throws InvalidInputError for another count. */
export function generateThemePalettes({ themeDescription, logoDescription = '', count }: ThemePaletteRequest): Palette[] {
  assertPaletteCount(count);
  const mood = readConceptMood(themeDescription, logoDescription);
  const theme: ThemeColour = {
    hue: mood.hue,
    secondaryHue: mood.secondaryHue,
    chroma: mood.chroma,
    lightnessShift: mood.lightnessShift,
    darkGround: mood.prefersDark,
    hueFromWords: mood.hueFromWords,
  };
  const models = modelLogos(theme);
  const seen = new Set<string>();
  const candidates = DIRECTIONS.map((d) => candidate(d, theme, models, seen));
  const names = new Set<string>();
  return choose(candidates, theme, models, count).map((c) => {
    const { title, description } = describe(c, theme);
    // "Ocean Deep Navy"; but "Vivid Red", not "Red Vivid Red".
    const label = title.toLowerCase().split(' ').includes(mood.label.toLowerCase()) ? '' : `${mood.label} `;
    let name = `${label}${title}`;
    if (names.has(name)) name = `${label}${c.direction.word} ${title}`;
    for (let n = 2; names.has(name); n++) name = `${label}${title} ${n}`;
    names.add(name);
    // Dark to light, the order palettes are usually shown in.
    const colors = [...c.hex].sort((a, b) => rgbToOklch(...hexToRgb(a)).l - rgbToOklch(...hexToRgb(b)).l);
    return { name, colors, description };
  });
}
