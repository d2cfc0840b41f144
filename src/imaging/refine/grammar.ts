/**
 * The refinement prompt grammar as data: which words set the intensity, and the phrases, each a
 * pattern → the operations it asks for, with their parameters and the words a user reads.
 * plan.ts reads the tables; nothing here runs on its own.
 *
 * A parameter is a constant, a number that grows with the intensity ({@link Scaled}), or read from
 * the prompt by one of the readers at the end. A label may name the intensity as `{much}`
 * ("much ", "slightly " or nothing) and any parameter as `{name}`.
 */
import type { OperationOf, RefineOperationKind, TintName } from './operation.js';

export interface Intensity {
  /** Multiplies every scaled parameter: 0.5 for "slightly", 1 normally, 1.6 for "much". */
  scale: number;
  /** What `{much}` in a label becomes. */
  prefix: string;
}

/** Checked in order; the first that matches anywhere in the prompt sets the intensity. */
export const INTENSITIES: readonly (Intensity & { pattern: RegExp })[] = [
  { pattern: /\b(much|a lot|lots|way|very|significantly|dramatically|really|extremely|heavily|strongly)\b/, scale: 1.6, prefix: 'much ' },
  { pattern: /\b(slightly|a (little )?bit|a little|subtly|somewhat|a touch|a hint|gently|tad)\b/, scale: 0.5, prefix: 'slightly ' },
];
export const NORMAL_INTENSITY: Intensity = { scale: 1, prefix: '' };

/** A number scaled by the prompt's intensity: base + per × scale, then held within [min, max]. */
export interface Scaled {
  scaled: { base?: number; per: number; min?: number; max?: number };
}

/** What a reader sees: the matched phrase, the whole (lower-cased) prompt and the intensity scale. */
export interface PhraseMatch {
  phrase: string;
  prompt: string;
  scale: number;
}

export type Param<T> = T | (T extends number ? Scaled : never) | { read: (match: PhraseMatch) => T };

export type PhraseOperation = {
  [K in RefineOperationKind]: { kind: K; params: { [P in Exclude<keyof OperationOf<K>, 'kind'>]: Param<OperationOf<K>[P]> }; label: string };
}[RefineOperationKind];

export interface Phrase {
  pattern: RegExp;
  operations: readonly PhraseOperation[];
}

const NUMBER_WORDS: Readonly<Record<string, number>> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };

/** Words naming a tint colour; a word none matches tints blue. */
const TINT_WORDS: readonly (readonly [RegExp, TintName])[] = [
  [/^(red|redd?er|reddish|crimson|scarlet)$/, 'red'],
  [/^(orange|oranger|orangey)$/, 'orange'],
  [/^(yellow|yellower|yellowish|gold|golden)$/, 'yellow'],
  [/^(green|greener|greenish)$/, 'green'],
  [/^(teal|cyan|turquoise)$/, 'teal'],
  [/^(blue|bluer|bluish|blueish|navy)$/, 'blue'],
  [/^(purple|violet|purpler|purplish)$/, 'purple'],
  [/^(pink|pinker|pinkish|magenta)$/, 'pink'],
];

/** "three colours" → 3, clamped to 2–16; no number → 6. */
const colourCount = {
  read: ({ phrase }: PhraseMatch): number => {
    const count = /\b(\d|two|three|four|five|six|seven|eight)\s+colou?rs?\b/.exec(phrase);
    const wanted = count ? (NUMBER_WORDS[count[1]!] ?? Number(count[1])) : 6;
    return Math.min(16, Math.max(2, wanted));
  },
};

/** Degrees stated anywhere in the prompt, else a small tilt or a quarter turn; negative when counter-clockwise. */
const rotation = {
  read: ({ phrase, prompt, scale }: PhraseMatch): number => {
    const stated = /(-?\d{1,3})\s*(°|deg\b|degrees?\b)/.exec(prompt);
    const counter = /\b(counter[- ]?clockwise|anti[- ]?clockwise|to the left|left)\b/.test(prompt) ? -1 : 1;
    const tilt = /tilt|angle/.test(phrase);
    const degrees = stated ? Number(stated[1]) % 360 : tilt ? Math.round(12 * scale) : 90;
    return counter * degrees;
  },
};

const tintColour = {
  read: ({ phrase }: PhraseMatch): TintName => TINT_WORDS.find(([re]) => re.test(phrase))?.[1] ?? 'blue',
};

/** Checked in order; each match is removed from the prompt before the next phrase is tried. */
export const PHRASES: readonly Phrase[] = [
  {
    pattern: /\b(gr[ae]y\s?scale|black\s*(and|&)\s*white|b\s*&\s*w|monochrome|colou?rless)\b/,
    operations: [{ kind: 'grayscale', params: {}, label: 'grayscale' }],
  },
  {
    pattern: /\b(invert(ed)?|negative|inverse)\b/,
    operations: [{ kind: 'invert', params: {}, label: 'inverted colours' }],
  },
  {
    pattern: /\b(less|not so|not as|too)\s+(dark|dim|gloomy|heavy|black)\b/,
    operations: [{ kind: 'lightness', params: { amount: { scaled: { per: 0.2 } } }, label: '{much}lighter' }],
  },
  {
    pattern: /\b(less|not so|not as|too)\s+(bright|light|pale|washed[- ]out|white)\b/,
    operations: [{ kind: 'lightness', params: { amount: { scaled: { per: -0.2 } } }, label: '{much}darker' }],
  },
  {
    pattern:
      /\b(less|lower|reduce[sd]?|decrease|tone down|not so|too)\s+(saturat\w*|vibran\w*|vivid|colou?rful|intense|loud|garish)\b|\b(desaturat\w*|muted?|dull(er)?|subdued|washed[- ]out|pastel|toned[- ]down|understated|greyer|grayer)\b/,
    operations: [{ kind: 'saturation', params: { factor: { scaled: { base: 1, per: -0.45, min: 0.1 } } }, label: '{much}less saturated' }],
  },
  {
    pattern:
      /\b(more|higher|increase[sd]?|boost(ed)?)\s+(saturat\w*|vibran\w*|vivid\w*|colou?rful\w*)\b|\b(saturat\w*|vibrant|vivid|colou?rful|punchy|pop|(richer|bold(er)?|brighter|stronger)\s+colou?rs?)\b/,
    operations: [{ kind: 'saturation', params: { factor: { scaled: { base: 1, per: 0.45 } } }, label: '{much}more saturated' }],
  },
  {
    pattern: /\b(less|lower|reduce[sd]?|softer|decrease)\s+contrast\b|\blow[- ]contrast\b/,
    operations: [{ kind: 'contrast', params: { factor: { scaled: { base: 1, per: -0.3, min: 0.3 } } }, label: '{much}lower contrast' }],
  },
  {
    pattern: /\b(more|higher|increase[sd]?|boost(ed)?|stronger|add)\s+contrast\b|\bhigh[- ]contrast\b|\bcontrast(y|ier)?\b|\b(punchier|crisp(er)?|sharper)\b/,
    operations: [{ kind: 'contrast', params: { factor: { scaled: { base: 1, per: 0.35 } } }, label: '{much}higher contrast' }],
  },
  {
    pattern: /\b(dark(er|en|ened)?|dimm?(er)?|deeper|moodier|shadowy|night)\b/,
    operations: [{ kind: 'lightness', params: { amount: { scaled: { per: -0.22 } } }, label: '{much}darker' }],
  },
  {
    pattern: /\b(light(er|en|ened)?|bright(er|en|ened)?|paler|airier)\b/,
    operations: [{ kind: 'lightness', params: { amount: { scaled: { per: 0.22 } } }, label: '{much}lighter' }],
  },
  {
    pattern: /\b(warm(er|th)?|sunnier|cozier|cosier)\b/,
    operations: [{ kind: 'warmth', params: { amount: { scaled: { per: 1 } } }, label: '{much}warmer' }],
  },
  {
    pattern: /\b(cool(er)?|cold(er)?|icier|chillier|frostier)\b/,
    operations: [{ kind: 'warmth', params: { amount: { scaled: { per: -1 } } }, label: '{much}cooler' }],
  },
  {
    pattern: /\b(fewer|less|reduce[sd]?|limit(ed)?( to)?|only|two|three|four|five|six|\d)\s+colou?rs?\b|\b(posteri[sz]ed?|flat(ter)?|limited palette)\b/,
    operations: [{ kind: 'reduce-colors', params: { colors: colourCount }, label: 'fewer colours ({colors})' }],
  },
  {
    pattern: /\b(simpl(er|ify|ified|e)|minimal(ist|istic)?|clean(er)?|less (detail(ed)?|busy|cluttered)|declutter(ed)?|streamlined?)\b/,
    operations: [
      { kind: 'smooth-shapes', params: { strength: 1 }, label: 'simpler shapes' },
      { kind: 'reduce-colors', params: { colors: 6 }, label: 'fewer colours ({colors})' },
    ],
  },
  {
    pattern: /\b(bold(er)?|thick(er|en)?|heav(y|ier)|stronger|outlined?|outlines|strokes?|chunk(y|ier))\b/,
    operations: [{ kind: 'bold-outline', params: { strength: { scaled: { per: 1 } } }, label: '{much}bolder outline' }],
  },
  {
    pattern: /\b(round(er|ed)?|curv(y|ier|ed)|soft(er)? (edges|corners|shapes)|smooth(er)?|circular|less (sharp|angular|edgy))\b/,
    operations: [
      { kind: 'smooth-shapes', params: { strength: { scaled: { per: 2 } } }, label: '{much}rounder' },
      { kind: 'round-corners', params: { radius: { scaled: { per: 0.14, max: 0.5 } } }, label: 'rounded corners' },
    ],
  },
  {
    pattern: /\b(upside[- ]down|flip(ped)?\s+(it\s+)?vertical(ly)?|vertical(ly)?\s+flip(ped)?)\b/,
    operations: [{ kind: 'flip', params: { axis: 'vertical' }, label: 'flipped vertically' }],
  },
  {
    pattern: /\b(flip(ped)?|mirror(ed)?|flop(ped)?|reversed?|face the other way)\b/,
    operations: [{ kind: 'flip', params: { axis: 'horizontal' }, label: 'mirrored' }],
  },
  {
    pattern: /\b(rotat(e|ed|ion)|tilt(ed)?|spin|angled?|turn(ed)? (it )?(sideways|clockwise|counter[- ]?clockwise|anti[- ]?clockwise|by \d+|\d+))\b/,
    operations: [{ kind: 'rotate', params: { degrees: rotation }, label: 'rotated {degrees}°' }],
  },
  {
    pattern: /\b(bigger|larger|enlarged?|zoom(ed)?\s+in|fill (the )?(frame|space|canvas)|less (padding|space|margin))\b/,
    operations: [{ kind: 'zoom', params: { factor: { scaled: { base: 1, per: 0.2 } } }, label: '{much}zoomed in' }],
  },
  {
    pattern: /\b(smaller|shrink|zoom(ed)?\s+out|more (padding|space|margin|breathing room|whitespace))\b/,
    operations: [{ kind: 'zoom', params: { factor: { scaled: { base: 1, per: -0.18, min: 0.4 } } }, label: '{much}zoomed out' }],
  },
  {
    pattern: /\b(redd?(er|ish)?|crimson|scarlet|orange[ry]?|yellow(er|ish)?|gold(en)?|green(er|ish)?|teal|cyan|turquoise|blu(e|er|ish|eish)|navy|purpl(e|er|ish)|violet|pink(er|ish)?|magenta)\b/,
    operations: [{ kind: 'tint', params: { color: tintColour }, label: 'tinted {color}' }],
  },
];
