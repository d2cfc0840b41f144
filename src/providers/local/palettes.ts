/**
 * Theme palettes of the local provider: the theme text's colour intent (colour and mood words →
 * hue, chroma, lightness) run through harmony rules. Always exactly `count` distinct palettes of five
 * `#rrggbb` colours, each spread from dark to light, with a name and a description. Deterministic.
 */
import { InvalidInputError } from '../../domain/errors.js';
import { MAX_PALETTES, MIN_PALETTES, paletteKey, type Palette } from '../../domain/palette.js';
import { oklchToHex, readConceptMood, type ThemeMood } from '../../imaging/logo/index.js';
import { HARMONY_RULES, type HarmonyBase, type HarmonyRule } from './harmonies.js';

export interface ThemePaletteRequest {
  themeDescription: string;
  /** Used for colour intent only when the theme names no colour or mood. */
  logoDescription?: string;
  count: number;
}

/** Palette chroma stays between greyish and vivid, so every rule yields visibly different colours. */
const MIN_CHROMA = 0.035;
const MAX_CHROMA = 0.2;
/** Hue nudge (degrees) when a rule would repeat an earlier palette. */
const NUDGE = 11;

export function assertPaletteCount(count: unknown): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < MIN_PALETTES || count > MAX_PALETTES) {
    throw new InvalidInputError(`The palette count must be a whole number from ${MIN_PALETTES} to ${MAX_PALETTES}`, [
      { field: 'count', message: `must be ${MIN_PALETTES}–${MAX_PALETTES}` },
    ]);
  }
}

/** Harmony rules in hand-out order; a dark theme gets its dark palette early, a light one its light palette. */
function rulesFor(mood: ThemeMood): readonly HarmonyRule[] {
  const favourite = mood.prefersDark ? 'Dark' : mood.lightnessShift >= 0.06 ? 'Light' : null;
  const index = HARMONY_RULES.findIndex((r) => r.title === favourite);
  if (index < 0) return HARMONY_RULES;
  const rest = HARMONY_RULES.filter((_, i) => i !== index);
  return [rest[0]!, HARMONY_RULES[index]!, ...rest.slice(1)];
}

/** `count` (1–12) distinct palettes for a theme; throws InvalidInputError for another count. */
export function generateThemePalettes({ themeDescription, logoDescription = '', count }: ThemePaletteRequest): Palette[] {
  assertPaletteCount(count);
  const mood = readConceptMood(themeDescription, logoDescription);
  const base: HarmonyBase = {
    hue: mood.hue,
    secondaryHue: mood.secondaryHue,
    chroma: Math.min(MAX_CHROMA, Math.max(MIN_CHROMA, mood.chroma)),
    lightnessShift: mood.lightnessShift,
  };
  const seen = new Set<string>();
  const palettes: Palette[] = [];
  for (const rule of rulesFor(mood).slice(0, count)) {
    for (let attempt = 0; ; attempt++) {
      const shifted = { ...base, hue: base.hue + attempt * NUDGE };
      const colors = rule.colors(shifted).map(oklchToHex);
      const key = paletteKey({ colors });
      if (seen.has(key) && attempt < 32) continue;
      seen.add(key);
      palettes.push({ name: `${mood.label} ${rule.title}`, colors, description: rule.describe(shifted) });
      break;
    }
  }
  return palettes;
}
