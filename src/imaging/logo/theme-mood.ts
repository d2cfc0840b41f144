/**
 * Reads a theme text ("calm ocean, minimal") as colour intent: a base hue, an optional second hue,
 * how saturated and how light, and whether it wants a dark ground. Colour words and mood words
 * both count; the first hue-bearing word wins. Unknown themes get a hue from a hash of the text,
 * so every theme still gets its own, stable colours.
 */
import { fnv1a32 } from './hash.js';

export interface ThemeMood {
  /** A short title-case word for names: the first hue-bearing cue (`Ocean`, `Teal`), else the first cue (`Minimal`), else a hue title. */
  label: string;
  /** Base hue, OKLCH degrees. */
  hue: number;
  /** A second hue the theme asks for (e.g. "ocean sunset"), or null. */
  secondaryHue: number | null;
  /** Base OKLCH chroma, about 0.02 (greyish) … 0.25 (neon). */
  chroma: number;
  /** Lightness bias, -0.15 (darker) … +0.15 (lighter). */
  lightnessShift: number;
  /** The theme reads as dark (night, neon, luxury): a dark ground suits it. */
  prefersDark: boolean;
  /** The hue comes from a word of the text (not from its hash). */
  hueFromWords: boolean;
  /** The cue words found, in order. */
  cues: string[];
}

interface Cue {
  label: string;
  words: string[];
  hue?: number;
  accentHue?: number;
  chroma?: number;
  shift?: number;
  dark?: boolean;
}

const CUES: Cue[] = [
  // Moods and places.
  { label: 'Ocean', words: ['ocean', 'oceanic', 'sea', 'seaside', 'marine', 'nautical', 'water', 'waves', 'beach', 'coastal', 'surf', 'harbor', 'harbour'], hue: 228, chroma: 0.13 },
  { label: 'Forest', words: ['forest', 'woods', 'woodland', 'jungle', 'pine', 'moss', 'nature', 'natural', 'botanical', 'garden', 'leafy', 'eco', 'organic', 'plant', 'plants'], hue: 150, chroma: 0.11 },
  { label: 'Sunset', words: ['sunset', 'dusk', 'sunrise', 'dawn'], hue: 50, accentHue: 5, chroma: 0.16 },
  { label: 'Neon', words: ['neon', 'cyber', 'cyberpunk', 'synthwave', 'glow', 'rave', 'arcade'], hue: 330, accentHue: 195, chroma: 0.25, dark: true },
  { label: 'Minimal', words: ['minimal', 'minimalist', 'minimalistic', 'clean', 'simple', 'scandinavian', 'nordic'], chroma: 0.05, shift: 0.03 },
  { label: 'Luxury', words: ['luxury', 'luxurious', 'premium', 'elegant', 'opulent', 'classy', 'exclusive'], hue: 85, chroma: 0.1, dark: true },
  { label: 'Playful', words: ['playful', 'fun', 'kids', 'children', 'toy', 'toys', 'candy', 'cheerful', 'happy', 'whimsical'], hue: 355, accentHue: 95, chroma: 0.19 },
  { label: 'Tech', words: ['tech', 'technology', 'digital', 'corporate', 'business', 'professional', 'trust', 'fintech', 'saas', 'software', 'futuristic'], hue: 258, chroma: 0.15 },
  { label: 'Earthy', words: ['earthy', 'earth', 'desert', 'sand', 'terracotta', 'clay', 'rustic', 'autumn', 'fall', 'harvest'], hue: 50, chroma: 0.1 },
  { label: 'Coffee', words: ['coffee', 'espresso', 'chocolate', 'cocoa', 'mocha', 'latte'], hue: 55, chroma: 0.07, shift: -0.08 },
  { label: 'Fire', words: ['fire', 'flame', 'flames', 'lava', 'volcano', 'spicy', 'passion', 'passionate'], hue: 33, chroma: 0.2 },
  { label: 'Ice', words: ['ice', 'icy', 'winter', 'frost', 'frosty', 'snow', 'arctic', 'glacier'], hue: 218, chroma: 0.07, shift: 0.08 },
  { label: 'Night', words: ['night', 'midnight', 'space', 'cosmic', 'galaxy', 'moody', 'noir', 'mysterious'], hue: 282, chroma: 0.1, dark: true },
  { label: 'Dark', words: ['dark', 'darker', 'gothic'], shift: -0.06, dark: true },
  { label: 'Pastel', words: ['pastel', 'soft', 'gentle', 'dreamy', 'airy'], chroma: 0.08, shift: 0.1 },
  { label: 'Vintage', words: ['vintage', 'retro', 'classic', 'nostalgic', 'heritage', 'antique'], chroma: 0.08, shift: -0.02 },
  { label: 'Vibrant', words: ['vibrant', 'bold', 'bright', 'vivid', 'colorful', 'colourful', 'energetic', 'lively'], chroma: 0.21 },
  { label: 'Muted', words: ['muted', 'subtle', 'dusty', 'calm', 'understated', 'serene', 'quiet'], chroma: 0.06 },
  { label: 'Spring', words: ['spring', 'fresh', 'floral', 'blossom', 'flowers'], hue: 135, accentHue: 350, chroma: 0.14, shift: 0.04 },
  { label: 'Tropical', words: ['tropical', 'summer', 'island', 'paradise'], hue: 180, accentHue: 45, chroma: 0.15 },
  { label: 'Royal', words: ['royal', 'regal', 'majestic', 'noble'], hue: 295, chroma: 0.14 },
  { label: 'Wellness', words: ['medical', 'health', 'healthcare', 'clinic', 'wellness', 'spa', 'care'], hue: 185, chroma: 0.09 },
  { label: 'Romantic', words: ['romantic', 'love', 'wedding', 'romance'], hue: 5, chroma: 0.13, shift: 0.05 },
  // Colour words.
  { label: 'Red', words: ['red', 'scarlet', 'cherry'], hue: 27, chroma: 0.2 },
  { label: 'Crimson', words: ['crimson', 'ruby', 'burgundy', 'maroon', 'wine'], hue: 18, chroma: 0.16, shift: -0.08 },
  { label: 'Orange', words: ['orange', 'tangerine', 'apricot'], hue: 55, chroma: 0.17 },
  { label: 'Amber', words: ['amber', 'honey', 'mustard'], hue: 75, chroma: 0.15 },
  { label: 'Coral', words: ['coral', 'salmon', 'peach'], hue: 35, chroma: 0.14, shift: 0.06 },
  { label: 'Yellow', words: ['yellow', 'lemon', 'sunny', 'sunshine'], hue: 100, chroma: 0.17, shift: 0.08 },
  { label: 'Gold', words: ['gold', 'golden', 'brass'], hue: 85, chroma: 0.12 },
  { label: 'Lime', words: ['lime', 'chartreuse', 'citrus'], hue: 125, chroma: 0.19, shift: 0.05 },
  { label: 'Green', words: ['green', 'grass', 'leaf'], hue: 145, chroma: 0.16 },
  { label: 'Emerald', words: ['emerald', 'jade'], hue: 158, chroma: 0.14 },
  { label: 'Mint', words: ['mint', 'sage', 'seafoam'], hue: 165, chroma: 0.08, shift: 0.08 },
  { label: 'Olive', words: ['olive', 'khaki', 'army'], hue: 112, chroma: 0.08, shift: -0.05 },
  { label: 'Teal', words: ['teal', 'turquoise', 'aquamarine'], hue: 190, chroma: 0.12 },
  { label: 'Cyan', words: ['cyan', 'aqua'], hue: 205, chroma: 0.14 },
  { label: 'Blue', words: ['blue', 'cobalt', 'sapphire', 'azure', 'sky'], hue: 255, chroma: 0.17 },
  { label: 'Navy', words: ['navy'], hue: 262, chroma: 0.12, shift: -0.12 },
  { label: 'Indigo', words: ['indigo'], hue: 280, chroma: 0.16 },
  { label: 'Purple', words: ['purple', 'violet', 'plum', 'amethyst'], hue: 305, chroma: 0.16 },
  { label: 'Lavender', words: ['lavender', 'lilac', 'mauve'], hue: 305, chroma: 0.08, shift: 0.08 },
  { label: 'Magenta', words: ['magenta', 'fuchsia'], hue: 335, chroma: 0.22 },
  { label: 'Pink', words: ['pink', 'rose', 'blush', 'bubblegum'], hue: 355, chroma: 0.14, shift: 0.05 },
  { label: 'Brown', words: ['brown', 'wood', 'wooden', 'leather', 'walnut'], hue: 55, chroma: 0.07, shift: -0.1 },
  { label: 'Beige', words: ['beige', 'cream', 'ivory', 'linen', 'nude'], hue: 80, chroma: 0.04, shift: 0.12 },
  { label: 'Black', words: ['black', 'charcoal', 'onyx', 'jet'], shift: -0.04, dark: true },
  { label: 'White', words: ['white', 'snowy', 'bright-white'], shift: 0.05 },
  { label: 'Monochrome', words: ['gray', 'grey', 'silver', 'monochrome', 'graphite', 'greyscale', 'grayscale'], chroma: 0.015 },
];

const CUE_BY_WORD = new Map<string, Cue>(CUES.flatMap((cue) => cue.words.map((w) => [w, cue] as [string, Cue])));

/** Lower-case words of a text (letters only, accents folded). */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

const HUE_FAMILIES: [number, string, string][] = [
  // [upper bound of the hue range, family word, evocative title]
  [18, 'pink', 'Blossom'],
  [45, 'red', 'Scarlet'],
  [72, 'orange', 'Tangerine'],
  [108, 'yellow', 'Sunflower'],
  [132, 'lime', 'Citrus'],
  [172, 'green', 'Meadow'],
  [215, 'teal', 'Lagoon'],
  [268, 'blue', 'Azure'],
  [290, 'indigo', 'Indigo'],
  [325, 'purple', 'Amethyst'],
  [360, 'pink', 'Blossom'],
];

/** A plain colour word for a hue: `blue`, `teal`, `orange`… */
export function hueFamilyName(hue: number): string {
  const h = ((hue % 360) + 360) % 360;
  return (HUE_FAMILIES.find(([upper]) => h < upper) ?? HUE_FAMILIES[HUE_FAMILIES.length - 1]!)[1];
}

function hueTitle(hue: number): string {
  const h = ((hue % 360) + 360) % 360;
  return (HUE_FAMILIES.find(([upper]) => h < upper) ?? HUE_FAMILIES[HUE_FAMILIES.length - 1]!)[2];
}

function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/** The colour intent of a theme text. Deterministic. */
export function readThemeMood(themeText: string): ThemeMood {
  const found: Cue[] = [];
  const cues: string[] = [];
  for (const word of wordsOf(themeText)) {
    const cue = CUE_BY_WORD.get(word);
    if (cue && !found.includes(cue)) {
      found.push(cue);
      cues.push(word);
    }
  }
  const hueCues = found.filter((c) => c.hue !== undefined);
  const hashHue = fnv1a32(themeText.trim().toLowerCase()) % 360;
  const hue = hueCues[0]?.hue ?? hashHue;
  const second = hueCues.slice(1).find((c) => circularDistance(c.hue!, hue) > 25);
  const secondaryHue = second?.hue ?? hueCues[0]?.accentHue ?? null;

  const modifiers = found.filter((c) => c.hue === undefined && c.chroma !== undefined);
  const chroma =
    modifiers.length > 0
      ? modifiers.reduce((sum, c) => sum + c.chroma!, 0) / modifiers.length
      : (hueCues[0]?.chroma ?? 0.13);
  const shift = Math.max(-0.15, Math.min(0.15, found.reduce((sum, c) => sum + (c.shift ?? 0), 0)));
  return {
    label: hueCues[0]?.label ?? found[0]?.label ?? hueTitle(hue),
    hue,
    secondaryHue,
    chroma,
    lightnessShift: shift,
    prefersDark: found.some((c) => c.dark === true),
    hueFromWords: hueCues.length > 0,
    cues,
  };
}

/**
 * The mood for a concept: the theme's cues, or — when the theme names no colour or mood
 * ("modern and friendly") — the cues of the logo description ("a coffee shop"), so the colours
 * still fit the subject. Falls back to the theme's hash hue.
 */
export function readConceptMood(themeText: string, logoText: string): ThemeMood {
  const theme = readThemeMood(themeText);
  if (theme.cues.length > 0) return theme;
  const logo = readThemeMood(logoText);
  return logo.cues.length > 0 ? logo : theme;
}
