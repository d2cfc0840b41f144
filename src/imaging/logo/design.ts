/**
 * Chooses a logo design from the two texts: everything comes from keyword cues first and a stable
 * hash of both texts second, so the same texts always give the same design and different texts
 * usually give different ones.
 */
import { glyphForWords, type GlyphName } from './glyphs.js';
import { fnv1a32, pick, seededRandom } from './hash.js';
import { hueDistance, oklchToHex, wrapHue } from './oklch.js';
import { CONTAINER_SHAPES, type ContainerShape } from './shapes.js';
import { initialsFor } from './text.js';
import { readConceptMood, wordsOf, type ThemeMood } from './theme-mood.js';

export type LogoLayout = 'emblem' | 'emblem-with-initials' | 'rings' | 'monogram' | 'geometric';
export type LogoStyle = 'flat' | 'outline' | 'duotone' | 'gradient';
export type GeometricMark = 'petals' | 'chevrons' | 'orbit' | 'blocks';

/** Five colour roles with clearly different lightness (the recolour engine maps clusters by lightness). */
export interface LogoColors {
  background: string;
  /** The main fill, mid lightness. */
  primary: string;
  /** Rims, shadows, ink on a light ground: dark. */
  deep: string;
  /** Details in a second hue: light-mid. */
  accent: string;
  /** Glyphs and letters on the primary fill: near white. */
  light: string;
  /** The far end of gradients, between primary and deep. */
  gradientEnd: string;
  /** Glyphs and letters on the primary fill: `light`, or `deep` when the primary is itself light (yellows). */
  onPrimary: string;
  /** The second half of a duotone fill: contrasts with the primary and with `onPrimary`. */
  duotoneHalf: string;
}

export interface LogoDesign {
  layout: LogoLayout;
  style: LogoStyle;
  shape: ContainerShape;
  glyph: GlyphName | null;
  /** 0–2 letters, unescaped. */
  initials: string;
  mark: GeometricMark;
  /** How many elements an abstract mark repeats (3–8). */
  markCount: number;
  /** Degrees the abstract mark is turned. */
  markRotation: number;
  /** Whether an emblem gets an inner ring. */
  innerRing: boolean;
  darkGround: boolean;
  colors: LogoColors;
}

export interface LogoTexts {
  logoDescription: string;
  themeDescription: string;
}

function cueFrom<T>(words: readonly string[], cues: Record<string, T>): T | undefined {
  for (const w of words) if (Object.hasOwn(cues, w)) return cues[w];
  return undefined;
}

const SHAPE_CUES: Record<string, ContainerShape> = {
  shield: 'shield', security: 'shield', secure: 'shield', guard: 'shield', protect: 'shield', protection: 'shield',
  safe: 'shield', safety: 'shield', insurance: 'shield', bank: 'shield', law: 'shield', legal: 'shield', crest: 'shield', defense: 'shield',
  hexagon: 'hexagon', hex: 'hexagon', honey: 'hexagon', bee: 'hexagon', hive: 'hexagon', science: 'hexagon', chemistry: 'hexagon',
  molecule: 'hexagon', network: 'hexagon', blockchain: 'hexagon', crypto: 'hexagon', lab: 'hexagon',
  circle: 'circle', round: 'circle', badge: 'circle', seal: 'circle', cafe: 'circle', coffee: 'circle', stamp: 'circle',
  square: 'rounded-square', app: 'rounded-square', tile: 'rounded-square', digital: 'rounded-square', software: 'rounded-square',
  diamond: 'diamond', rhombus: 'diamond', gem: 'diamond', jewel: 'diamond', jewelry: 'diamond',
};

const LAYOUT_CUES: Record<string, LogoLayout> = {
  monogram: 'monogram', initials: 'monogram', lettermark: 'monogram', letter: 'monogram', letters: 'monogram', typographic: 'monogram',
  abstract: 'geometric', geometric: 'geometric', shapes: 'geometric', pattern: 'geometric',
  emblem: 'emblem', badge: 'emblem', seal: 'emblem', crest: 'emblem', icon: 'emblem',
  ring: 'rings', rings: 'rings', orbit: 'rings', circles: 'rings', target: 'rings',
};

const STYLE_CUES: Record<string, LogoStyle> = {
  outline: 'outline', outlined: 'outline', line: 'outline', lines: 'outline', linear: 'outline', stroke: 'outline', hollow: 'outline', thin: 'outline',
  gradient: 'gradient', gradients: 'gradient', glossy: 'gradient', shiny: 'gradient', glow: 'gradient', neon: 'gradient',
  duotone: 'duotone', split: 'duotone', halves: 'duotone',
  flat: 'flat', solid: 'flat', minimal: 'flat', minimalist: 'flat', simple: 'flat', clean: 'flat',
};

function chooseLayout(words: string[], glyph: GlyphName | null, initials: string, random: () => number): LogoLayout {
  const cue = cueFrom(words, LAYOUT_CUES);
  const wanted = cue === 'monogram' && !initials ? undefined : cue === 'geometric' && glyph ? 'emblem' : cue;
  if (wanted === 'emblem' && glyph && initials && random() < 0.4) return 'emblem-with-initials';
  if (wanted === 'emblem' && !glyph && initials) return 'monogram';
  if (wanted === 'emblem' && !glyph && !initials) return 'geometric';
  if (wanted) return wanted;
  if (glyph) return pick(random, initials ? ['emblem', 'emblem', 'rings', 'emblem-with-initials'] : ['emblem', 'emblem', 'rings']);
  if (initials) return pick(random, ['monogram', 'monogram', 'rings', 'geometric']);
  return 'geometric';
}

/** Yellows look olive at mid lightness: lift the fills of hues near yellow. */
export function yellowLift(hue: number): number {
  return 0.2 * Math.max(0, 1 - hueDistance(hue, 100) / 35);
}

function chooseColors(mood: ThemeMood, random: () => number): { colors: LogoColors; darkGround: boolean } {
  const hue = wrapHue(mood.hue + (random() - 0.5) * 16);
  const accentHue = mood.secondaryHue ?? hue + pick(random, [180, 150, -150, 40, -40, 120]);
  const chroma = mood.chroma;
  const shift = mood.lightnessShift;
  const lift = yellowLift(hue);
  const darkGround = mood.prefersDark;
  const primaryLightness = 0.57 + shift * 0.5 + lift;
  const deep = oklchToHex({ l: 0.31 + shift * 0.3, c: chroma * 0.75, h: hue + 8 });
  const light = oklchToHex({ l: 0.985, c: Math.min(chroma * 0.1, 0.01), h: hue });
  const gradientEnd = oklchToHex({ l: 0.43 + shift * 0.4 + lift, c: chroma * 1.05, h: lift > 0 ? hue - 25 : hue + 28 });
  const lightPrimary = primaryLightness >= 0.68;
  return {
    darkGround,
    colors: {
      background: darkGround
        ? oklchToHex({ l: 0.2, c: Math.min(chroma * 0.3, 0.035), h: hue })
        : oklchToHex({ l: 0.975, c: Math.min(chroma * 0.15, 0.015), h: hue }),
      primary: oklchToHex({ l: primaryLightness, c: chroma, h: hue }),
      deep,
      accent: oklchToHex({ l: 0.81 + shift * 0.3, c: Math.max(chroma, 0.06), h: accentHue }),
      light,
      gradientEnd,
      onPrimary: lightPrimary ? deep : light,
      duotoneHalf: lightPrimary ? gradientEnd : deep,
    },
  };
}

/** The design for two texts. Deterministic. */
export function chooseLogoDesign({ logoDescription, themeDescription }: LogoTexts): LogoDesign {
  const random = seededRandom(fnv1a32(`${logoDescription.trim()}\u0000${themeDescription.trim()}`));
  const words = wordsOf(logoDescription);
  const allWords = [...words, ...wordsOf(themeDescription)];
  const mood = readConceptMood(themeDescription, logoDescription);
  const glyph = glyphForWords(words);
  const initials = initialsFor(logoDescription);
  // Draw every random choice in a fixed order, whether or not a cue overrides it, so one cue does not reshuffle the rest.
  const hashedShape = pick(random, CONTAINER_SHAPES);
  const hashedStyle = pick(random, ['flat', 'flat', 'gradient', 'duotone', 'outline'] as const);
  const layout = chooseLayout(allWords, glyph, initials, random);
  const mark = pick(random, ['petals', 'chevrons', 'orbit', 'blocks'] as const);
  const markCount = pick(random, [3, 4, 5, 6, 8]);
  const markRotation = Math.round(random() * 90);
  const innerRing = random() < 0.6;
  const { colors, darkGround } = chooseColors(mood, random);
  return {
    layout,
    style: cueFrom(allWords, STYLE_CUES) ?? hashedStyle,
    shape: cueFrom(allWords, SHAPE_CUES) ?? hashedShape,
    glyph,
    initials,
    mark,
    markCount,
    markRotation,
    innerRing,
    darkGround,
    colors,
  };
}
