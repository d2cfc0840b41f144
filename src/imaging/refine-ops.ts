/**
 * Refinement as deterministic image operations: a refinement prompt ("make it darker and rounder")
 * is parsed into operations (darker, rounder…), the ones touching a preserved aspect are dropped,
 * and the rest run on the decoded RGBA pixels in a fixed order (geometry → shapes → colours →
 * tone → corner mask). Wording nothing matches still gets a visible change derived from the
 * prompt's hash. Same image + prompt + preserved aspects → same bytes.
 */
import sharp from 'sharp';
import type { PreserveAspect } from '../domain/inputs.js';
import { fnv1a32 } from './logo/hash.js';
import { MAX_IMAGE_DIMENSION } from './probe.js';

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export type RefineOperation =
  | { kind: 'rotate'; degrees: number }
  | { kind: 'flip'; axis: 'horizontal' | 'vertical' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'smooth-shapes'; strength: number }
  | { kind: 'bold-outline'; strength: number }
  | { kind: 'reduce-colors'; colors: number }
  | { kind: 'tint'; color: TintName }
  | { kind: 'hue-shift'; degrees: number }
  | { kind: 'saturation'; factor: number }
  | { kind: 'warmth'; amount: number }
  | { kind: 'grayscale' }
  | { kind: 'invert' }
  | { kind: 'lightness'; amount: number }
  | { kind: 'contrast'; factor: number }
  | { kind: 'round-corners'; radius: number };

export type RefineOperationKind = RefineOperation['kind'];

/** Execution order: geometry first, the corner mask last. */
const STAGE: Record<RefineOperationKind, number> = {
  rotate: 0, flip: 1, zoom: 2,
  'smooth-shapes': 3, 'bold-outline': 4,
  'reduce-colors': 5, tint: 6, 'hue-shift': 7, saturation: 8, warmth: 9, grayscale: 10, invert: 11,
  lightness: 12, contrast: 13,
  'round-corners': 14,
};

/** Which aspects of the image each operation changes; a preserved aspect drops the operation. */
const TOUCHES: Record<RefineOperationKind, readonly PreserveAspect[]> = {
  rotate: ['layout'], flip: ['layout'], zoom: ['layout'],
  'smooth-shapes': ['shapes'], 'bold-outline': ['style', 'shapes'], 'round-corners': ['shapes'],
  'reduce-colors': ['colors', 'style'], tint: ['colors'], 'hue-shift': ['colors'], saturation: ['colors'],
  warmth: ['colors'], grayscale: ['colors', 'style'], invert: ['colors', 'style'],
  lightness: [], contrast: [],
};

/** An operation with the words a user reads for it (e.g. `much darker`, `rotated 90°`). */
export interface PlannedOperation {
  operation: RefineOperation;
  label: string;
}

// ---------------------------------------------------------------------------------------------
// Prompt → operations
// ---------------------------------------------------------------------------------------------

interface Phrase {
  pattern: RegExp;
  plan(match: RegExpMatchArray, intensity: Intensity, prompt: string): PlannedOperation[];
}

interface Intensity {
  /** 0.5 for "slightly", 1 normally, 1.6 for "much". */
  scale: number;
  /** "", "slightly " or "much ". */
  prefix: string;
}

const one = (operation: RefineOperation, label: string): PlannedOperation[] => [{ operation, label }];

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };

/** Colours a tint can aim at, with their HSL hue. */
const TINT_HUES = { red: 0, orange: 30, yellow: 55, green: 120, teal: 180, blue: 220, purple: 280, pink: 330 } as const;
export type TintName = keyof typeof TINT_HUES;

const TINT_WORDS: [RegExp, TintName][] = [
  [/^(red|redd?er|reddish|crimson|scarlet)$/, 'red'],
  [/^(orange|oranger|orangey)$/, 'orange'],
  [/^(yellow|yellower|yellowish|gold|golden)$/, 'yellow'],
  [/^(green|greener|greenish)$/, 'green'],
  [/^(teal|cyan|turquoise)$/, 'teal'],
  [/^(blue|bluer|bluish|blueish|navy)$/, 'blue'],
  [/^(purple|violet|purpler|purplish)$/, 'purple'],
  [/^(pink|pinker|pinkish|magenta)$/, 'pink'],
];

/** Checked in order; each match is removed from the prompt before the next phrase is tried. */
const PHRASES: Phrase[] = [
  {
    pattern: /\b(gr[ae]y\s?scale|black\s*(and|&)\s*white|b\s*&\s*w|monochrome|colou?rless)\b/,
    plan: () => one({ kind: 'grayscale' }, 'grayscale'),
  },
  {
    pattern: /\b(invert(ed)?|negative|inverse)\b/,
    plan: () => one({ kind: 'invert' }, 'inverted colours'),
  },
  {
    pattern: /\b(less|not so|not as|too)\s+(dark|dim|gloomy|heavy|black)\b/,
    plan: (_m, i) => one({ kind: 'lightness', amount: 0.2 * i.scale }, `${i.prefix}lighter`),
  },
  {
    pattern: /\b(less|not so|not as|too)\s+(bright|light|pale|washed[- ]out|white)\b/,
    plan: (_m, i) => one({ kind: 'lightness', amount: -0.2 * i.scale }, `${i.prefix}darker`),
  },
  {
    pattern:
      /\b(less|lower|reduce[sd]?|decrease|tone down|not so|too)\s+(saturat\w*|vibran\w*|vivid|colou?rful|intense|loud|garish)\b|\b(desaturat\w*|muted?|dull(er)?|subdued|washed[- ]out|pastel|toned[- ]down|understated|greyer|grayer)\b/,
    plan: (_m, i) => one({ kind: 'saturation', factor: Math.max(0.1, 1 - 0.45 * i.scale) }, `${i.prefix}less saturated`),
  },
  {
    pattern:
      /\b(more|higher|increase[sd]?|boost(ed)?)\s+(saturat\w*|vibran\w*|vivid\w*|colou?rful\w*)\b|\b(saturat\w*|vibrant|vivid|colou?rful|punchy|pop|(richer|bold(er)?|brighter|stronger)\s+colou?rs?)\b/,
    plan: (_m, i) => one({ kind: 'saturation', factor: 1 + 0.45 * i.scale }, `${i.prefix}more saturated`),
  },
  {
    pattern: /\b(less|lower|reduce[sd]?|softer|decrease)\s+contrast\b|\blow[- ]contrast\b/,
    plan: (_m, i) => one({ kind: 'contrast', factor: Math.max(0.3, 1 - 0.3 * i.scale) }, `${i.prefix}lower contrast`),
  },
  {
    pattern: /\b(more|higher|increase[sd]?|boost(ed)?|stronger|add)\s+contrast\b|\bhigh[- ]contrast\b|\bcontrast(y|ier)?\b|\b(punchier|crisp(er)?|sharper)\b/,
    plan: (_m, i) => one({ kind: 'contrast', factor: 1 + 0.35 * i.scale }, `${i.prefix}higher contrast`),
  },
  {
    pattern: /\b(dark(er|en|ened)?|dimm?(er)?|deeper|moodier|shadowy|night)\b/,
    plan: (_m, i) => one({ kind: 'lightness', amount: -0.22 * i.scale }, `${i.prefix}darker`),
  },
  {
    pattern: /\b(light(er|en|ened)?|bright(er|en|ened)?|paler|airier)\b/,
    plan: (_m, i) => one({ kind: 'lightness', amount: 0.22 * i.scale }, `${i.prefix}lighter`),
  },
  {
    pattern: /\b(warm(er|th)?|sunnier|cozier|cosier)\b/,
    plan: (_m, i) => one({ kind: 'warmth', amount: i.scale }, `${i.prefix}warmer`),
  },
  {
    pattern: /\b(cool(er)?|cold(er)?|icier|chillier|frostier)\b/,
    plan: (_m, i) => one({ kind: 'warmth', amount: -i.scale }, `${i.prefix}cooler`),
  },
  {
    pattern: /\b(fewer|less|reduce[sd]?|limit(ed)?( to)?|only|two|three|four|five|six|\d)\s+colou?rs?\b|\b(posteri[sz]ed?|flat(ter)?|limited palette)\b/,
    plan: (m) => {
      const count = /\b(\d|two|three|four|five|six|seven|eight)\s+colou?rs?\b/.exec(m[0]);
      const wanted = count ? (NUMBER_WORDS[count[1]!] ?? Number(count[1])) : 6;
      const colors = Math.min(16, Math.max(2, wanted));
      return one({ kind: 'reduce-colors', colors }, `fewer colours (${colors})`);
    },
  },
  {
    pattern: /\b(simpl(er|ify|ified|e)|minimal(ist|istic)?|clean(er)?|less (detail(ed)?|busy|cluttered)|declutter(ed)?|streamlined?)\b/,
    plan: () => [
      { operation: { kind: 'smooth-shapes', strength: 1 }, label: 'simpler shapes' },
      { operation: { kind: 'reduce-colors', colors: 6 }, label: 'fewer colours (6)' },
    ],
  },
  {
    pattern: /\b(bold(er)?|thick(er|en)?|heav(y|ier)|stronger|outlined?|outlines|strokes?|chunk(y|ier))\b/,
    plan: (_m, i) => one({ kind: 'bold-outline', strength: i.scale }, `${i.prefix}bolder outline`),
  },
  {
    pattern: /\b(round(er|ed)?|curv(y|ier|ed)|soft(er)? (edges|corners|shapes)|smooth(er)?|circular|less (sharp|angular|edgy))\b/,
    plan: (_m, i) => [
      { operation: { kind: 'smooth-shapes', strength: 2 * i.scale }, label: `${i.prefix}rounder` },
      { operation: { kind: 'round-corners', radius: Math.min(0.5, 0.14 * i.scale) }, label: 'rounded corners' },
    ],
  },
  {
    pattern: /\b(upside[- ]down|flip(ped)?\s+(it\s+)?vertical(ly)?|vertical(ly)?\s+flip(ped)?)\b/,
    plan: () => one({ kind: 'flip', axis: 'vertical' }, 'flipped vertically'),
  },
  {
    pattern: /\b(flip(ped)?|mirror(ed)?|flop(ped)?|reversed?|face the other way)\b/,
    plan: () => one({ kind: 'flip', axis: 'horizontal' }, 'mirrored'),
  },
  {
    pattern: /\b(rotat(e|ed|ion)|tilt(ed)?|spin|angled?|turn(ed)? (it )?(sideways|clockwise|counter[- ]?clockwise|anti[- ]?clockwise|by \d+|\d+))\b/,
    plan: (m, i, prompt) => {
      const stated = /(-?\d{1,3})\s*(°|deg\b|degrees?\b)/.exec(prompt);
      const counter = /\b(counter[- ]?clockwise|anti[- ]?clockwise|to the left|left)\b/.test(prompt) ? -1 : 1;
      const tilt = /tilt|angle/.test(m[0]);
      const degrees = stated ? Number(stated[1]) % 360 : tilt ? Math.round(12 * i.scale) : 90;
      const signed = counter * degrees;
      return one({ kind: 'rotate', degrees: signed }, `rotated ${signed}°`);
    },
  },
  {
    pattern: /\b(bigger|larger|enlarged?|zoom(ed)?\s+in|fill (the )?(frame|space|canvas)|less (padding|space|margin))\b/,
    plan: (_m, i) => one({ kind: 'zoom', factor: 1 + 0.2 * i.scale }, `${i.prefix}zoomed in`),
  },
  {
    pattern: /\b(smaller|shrink|zoom(ed)?\s+out|more (padding|space|margin|breathing room|whitespace))\b/,
    plan: (_m, i) => one({ kind: 'zoom', factor: Math.max(0.4, 1 - 0.18 * i.scale) }, `${i.prefix}zoomed out`),
  },
  {
    pattern: /\b(redd?(er|ish)?|crimson|scarlet|orange[ry]?|yellow(er|ish)?|gold(en)?|green(er|ish)?|teal|cyan|turquoise|blu(e|er|ish|eish)|navy|purpl(e|er|ish)|violet|pink(er|ish)?|magenta)\b/,
    plan: (m) => {
      const word = m[0];
      const color = TINT_WORDS.find(([re]) => re.test(word))?.[1] ?? 'blue';
      return one({ kind: 'tint', color }, `tinted ${color}`);
    },
  },
];

function intensityOf(prompt: string): Intensity {
  if (/\b(much|a lot|lots|way|very|significantly|dramatically|really|extremely|heavily|strongly)\b/.test(prompt)) {
    return { scale: 1.6, prefix: 'much ' };
  }
  if (/\b(slightly|a (little )?bit|a little|subtly|somewhat|a touch|a hint|gently|tad)\b/.test(prompt)) {
    return { scale: 0.5, prefix: 'slightly ' };
  }
  return { scale: 1, prefix: '' };
}

/** The operations a prompt asks for, before preserved aspects are considered (in prompt-phrase order). */
export function parseRefinePrompt(prompt: string): PlannedOperation[] {
  let rest = prompt.toLowerCase().replace(/\s+/g, ' ');
  const intensity = intensityOf(rest);
  const planned: PlannedOperation[] = [];
  for (const phrase of PHRASES) {
    const match = rest.match(phrase.pattern);
    if (!match) continue;
    rest = rest.replace(phrase.pattern, ' ');
    for (const item of phrase.plan(match, intensity, prompt.toLowerCase())) {
      if (!planned.some((p) => p.operation.kind === item.operation.kind)) planned.push(item);
    }
  }
  return planned;
}

/** The change made when nothing in the prompt is understood (or everything it asks is preserved). */
function fallbackOperation(prompt: string, preserve: ReadonlySet<PreserveAspect>): PlannedOperation {
  const hash = fnv1a32(prompt.trim().toLowerCase());
  if (!preserve.has('colors')) {
    const degrees = (hash % 2 === 0 ? 1 : -1) * (24 + (hash % 37));
    return { operation: { kind: 'hue-shift', degrees }, label: `hue shifted ${degrees}°` };
  }
  const amount = -(0.1 + (hash % 7) / 100);
  return { operation: { kind: 'lightness', amount }, label: 'deeper tones' };
}

/**
 * The operations to run for a prompt, in execution order: operations touching a preserved aspect
 * are dropped; when none is left, a visible, prompt-derived fallback runs instead.
 */
export function planRefineOperations(prompt: string, preserveAspects: readonly PreserveAspect[] = []): PlannedOperation[] {
  const preserve = new Set(preserveAspects);
  const allowed = parseRefinePrompt(prompt).filter((p) => !TOUCHES[p.operation.kind].some((a) => preserve.has(a)));
  const chosen = allowed.length > 0 ? allowed : [fallbackOperation(prompt, preserve)];
  return [...chosen].sort((a, b) => STAGE[a.operation.kind] - STAGE[b.operation.kind]);
}

// ---------------------------------------------------------------------------------------------
// Pixels
// ---------------------------------------------------------------------------------------------

/** Decoded RGBA pixels, 8 bits per channel. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function blank(width: number, height: number): RgbaImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

/** Applies `f` to the RGB of every pixel in place; alpha untouched. */
function mapRgb(image: RgbaImage, f: (r: number, g: number, b: number, out: number[]) => void): RgbaImage {
  const d = image.data;
  const out = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) {
    f(d[i]!, d[i + 1]!, d[i + 2]!, out);
    d[i] = out[0]!;
    d[i + 1] = out[1]!;
    d[i + 2] = out[2]!;
  }
  return image;
}

const luma = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** Mean colour (with alpha) of the outermost pixel ring: what a background most likely is. */
function borderColor({ data, width, height }: RgbaImage): [number, number, number, number] {
  const sum = [0, 0, 0, 0];
  let count = 0;
  const add = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    for (let c = 0; c < 4; c++) sum[c]! += data[i + c]!;
    count++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    add(width - 1, y);
  }
  return sum.map((s) => Math.round(s / count)) as [number, number, number, number];
}

/**
 * Resamples through an inverse mapping (output pixel → source position), bilinear with
 * premultiplied alpha; positions outside the source take `fill`.
 */
function resample(
  src: RgbaImage,
  sourceOf: (x: number, y: number) => [number, number],
  fill: ArrayLike<number>,
): RgbaImage {
  const { data, width, height } = src;
  const out = blank(width, height);
  const o = out.data;
  const acc = [0, 0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = sourceOf(x + 0.5, y + 0.5);
      const fx = sx - 0.5;
      const fy = sy - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const tx = fx - x0;
      const ty = fy - y0;
      acc[0] = acc[1] = acc[2] = acc[3] = 0;
      for (let k = 0; k < 4; k++) {
        const px = x0 + (k & 1);
        const py = y0 + (k >> 1);
        const w = ((k & 1) === 1 ? tx : 1 - tx) * ((k >> 1) === 1 ? ty : 1 - ty);
        if (w === 0) continue;
        const inside = px >= 0 && py >= 0 && px < width && py < height;
        const source = inside ? data : fill;
        const i = inside ? (py * width + px) * 4 : 0;
        const aw = source[i + 3]! * w;
        acc[0]! += source[i]! * aw;
        acc[1]! += source[i + 1]! * aw;
        acc[2]! += source[i + 2]! * aw;
        acc[3]! += aw;
      }
      const i = (y * width + x) * 4;
      const alpha = acc[3]!;
      if (alpha > 0) {
        o[i] = acc[0]! / alpha;
        o[i + 1] = acc[1]! / alpha;
        o[i + 2] = acc[2]! / alpha;
      }
      o[i + 3] = alpha;
    }
  }
  return out;
}

/** Moves whole pixels: exact, for flips and quarter turns of square images. */
function remap(src: RgbaImage, sourceIndexOf: (x: number, y: number) => number): RgbaImage {
  const out = blank(src.width, src.height);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const from = sourceIndexOf(x, y) * 4;
      out.data.set(src.data.subarray(from, from + 4), (y * src.width + x) * 4);
    }
  }
  return out;
}

function rotate(image: RgbaImage, degrees: number): RgbaImage {
  const { width: w, height: h } = image;
  const turn = ((Math.round(degrees) % 360) + 360) % 360;
  if (turn === 0) return image;
  if (turn === 180) return remap(image, (x, y) => (h - 1 - y) * w + (w - 1 - x));
  if (w === h && turn === 90) return remap(image, (x, y) => (w - 1 - x) * w + y);
  if (w === h && turn === 270) return remap(image, (x, y) => y * w + (w - 1 - x));
  // Clockwise on screen: the output pixel at angle θ comes from the source at θ - degrees.
  const rad = (-degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = w / 2;
  const cy = h / 2;
  return resample(image, (x, y) => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos], borderColor(image));
}

function flip(image: RgbaImage, axis: 'horizontal' | 'vertical'): RgbaImage {
  const { width: w, height: h } = image;
  return axis === 'horizontal' ? remap(image, (x, y) => y * w + (w - 1 - x)) : remap(image, (x, y) => (h - 1 - y) * w + x);
}

function zoom(image: RgbaImage, factor: number): RgbaImage {
  const cx = image.width / 2;
  const cy = image.height / 2;
  return resample(image, (x, y) => [cx + (x - cx) / factor, cy + (y - cy) / factor], borderColor(image));
}

/** Running max (or min) over a window of ±radius along rows, then columns, of a one-channel map. */
function spread(values: Uint8ClampedArray, width: number, height: number, radius: number, pickMax: boolean): Uint8ClampedArray {
  const better = pickMax ? (a: number, b: number) => (a > b ? a : b) : (a: number, b: number) => (a < b ? a : b);
  const pass = (input: Uint8ClampedArray, along: 'row' | 'column') => {
    const out = new Uint8ClampedArray(input.length);
    const lines = along === 'row' ? height : width;
    const length = along === 'row' ? width : height;
    for (let line = 0; line < lines; line++) {
      for (let p = 0; p < length; p++) {
        let best = pickMax ? 0 : 255;
        for (let q = Math.max(0, p - radius); q <= Math.min(length - 1, p + radius); q++) {
          best = better(best, input[along === 'row' ? line * width + q : q * width + line]!);
        }
        out[along === 'row' ? line * width + p : p * width + line] = best;
      }
    }
    return out;
  };
  return pass(pass(values, 'row'), 'column');
}

const OUTLINE_DARK_LUMA = 40;
const OUTLINE_LIGHT_LUMA = 225;

/**
 * Bolder outline: a band around every sharp colour or alpha edge is painted in the image's
 * strongest ink: its darkest colour, deepened to near-black, on a light ground; its lightest,
 * lifted to near-white, on a dark one.
 */
function boldOutline(image: RgbaImage, strength: number): RgbaImage {
  const { data, width, height } = image;
  const n = width * height;
  const tone = new Float64Array(n);
  for (let p = 0; p < n; p++) tone[p] = (luma(data[p * 4]!, data[p * 4 + 1]!, data[p * 4 + 2]!) * data[p * 4 + 3]!) / 255;
  const edges = new Uint8ClampedArray(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const right = x + 1 < width ? p + 1 : p;
      const down = y + 1 < height ? p + width : p;
      const step = Math.max(Math.abs(tone[p]! - tone[right]!), Math.abs(tone[p]! - tone[down]!));
      const alphaStep = Math.max(Math.abs(data[p * 4 + 3]! - data[right * 4 + 3]!), Math.abs(data[p * 4 + 3]! - data[down * 4 + 3]!));
      if (step > 28 || alphaStep > 64) edges[p] = 255;
    }
  }
  const radius = Math.max(1, Math.round((Math.min(width, height) / 220) * strength));
  const band = spread(edges, width, height, radius, true);
  const background = borderColor(image);
  const lightGround = luma(background[0], background[1], background[2]) >= 110 || background[3] < 128;
  let inkIndex = -1;
  let inkTone = lightGround ? Infinity : -Infinity;
  for (let p = 0; p < n; p++) {
    if (data[p * 4 + 3]! < 200) continue;
    const t = tone[p]!;
    if (lightGround ? t < inkTone : t > inkTone) {
      inkTone = t;
      inkIndex = p;
    }
  }
  const found = inkIndex >= 0 ? [data[inkIndex * 4]!, data[inkIndex * 4 + 1]!, data[inkIndex * 4 + 2]!] : lightGround ? [0, 0, 0] : [255, 255, 255];
  // Outlines read as outlines when they are near-black (or near-white on a dark ground): push the ink there, keeping its hue.
  const foundLuma = luma(found[0]!, found[1]!, found[2]!);
  const ink = lightGround
    ? found.map((c) => c * Math.min(1, OUTLINE_DARK_LUMA / Math.max(1, foundLuma)))
    : found.map((c) => 255 - (255 - c) * Math.min(1, (255 - OUTLINE_LIGHT_LUMA) / Math.max(1, 255 - foundLuma)));
  for (let p = 0; p < n; p++) {
    if (band[p] === 0) continue;
    const i = p * 4;
    for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * 0.1 + ink[c]! * 0.9;
    data[i + 3] = 255;
  }
  return image;
}

/** Rounds silhouettes and corners: a median filter (via libvips) over the pixels. */
async function smoothShapes(image: RgbaImage, strength: number): Promise<RgbaImage> {
  const size = Math.max(3, Math.round((Math.min(image.width, image.height) / 110) * strength) | 1);
  const out = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .median(size)
    .raw()
    .toBuffer();
  return { data: new Uint8ClampedArray(out.buffer, out.byteOffset, out.byteLength), width: image.width, height: image.height };
}

/** A box of the colour histogram for median cut: entries are [r, g, b, count] at 5 bits per channel. */
type ColourBox = number[][];

function boxRange(box: ColourBox, channel: number): number {
  let min = 31;
  let max = 0;
  for (const e of box) {
    min = Math.min(min, e[channel]!);
    max = Math.max(max, e[channel]!);
  }
  return max - min;
}

/** Median cut on the histogram of opaque-ish pixels: at most `colors` representative colours. */
function medianCutPalette(image: RgbaImage, colors: number): [number, number, number][] {
  const counts = new Map<number, number>();
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3]! < 128) continue;
    const key = ((d[i]! >> 3) << 10) | ((d[i + 1]! >> 3) << 5) | (d[i + 2]! >> 3);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => [k >> 10, (k >> 5) & 31, k & 31, n]);
  if (entries.length === 0) return [];
  const boxes: ColourBox[] = [entries];
  while (boxes.length < colors) {
    // Split the box with the widest channel range, weighted by how many pixels it holds.
    let best = -1;
    let bestScore = 0;
    boxes.forEach((box, i) => {
      if (box.length < 2) return;
      const pixels = box.reduce((sum, e) => sum + e[3]!, 0);
      const score = Math.max(boxRange(box, 0), boxRange(box, 1), boxRange(box, 2)) * Math.sqrt(pixels);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    if (best < 0) break;
    const box = boxes[best]!;
    const ranges = [0, 1, 2].map((c) => boxRange(box, c));
    const channel = ranges.indexOf(Math.max(...ranges));
    box.sort((a, b) => a[channel]! - b[channel]! || a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
    const half = box.reduce((sum, e) => sum + e[3]!, 0) / 2;
    let seen = 0;
    let cut = 1;
    for (let i = 0; i < box.length - 1; i++) {
      seen += box[i]![3]!;
      cut = i + 1;
      if (seen >= half) break;
    }
    boxes.splice(best, 1, box.slice(0, cut), box.slice(cut));
  }
  return boxes.map((box) => {
    const total = box.reduce((sum, e) => sum + e[3]!, 0);
    const mean = (c: number) => Math.round((box.reduce((sum, e) => sum + (e[c]! * 8 + 4) * e[3]!, 0) / total));
    return [mean(0), mean(1), mean(2)];
  });
}

/** Reduces the image to at most `colors` colours (median cut, nearest colour, no dithering); alpha kept. */
function reduceColors(image: RgbaImage, colors: number): RgbaImage {
  const palette = medianCutPalette(image, colors);
  if (palette.length === 0) return image;
  const nearest = new Map<number, [number, number, number]>();
  return mapRgb(image, (r, g, b, out) => {
    const key = (r << 16) | (g << 8) | b;
    let match = nearest.get(key);
    if (!match) {
      let bestDistance = Infinity;
      for (const p of palette) {
        const distance = (p[0] - r) ** 2 + (p[1] - g) ** 2 + (p[2] - b) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          match = p;
        }
      }
      nearest.set(key, match!);
    }
    out[0] = match![0];
    out[1] = match![1];
    out[2] = match![2];
  });
}

/** The luminance-preserving hue rotation matrix (as in CSS `hue-rotate`). */
function hueRotate(image: RgbaImage, degrees: number): RgbaImage {
  const rad = (degrees * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  const m = [
    0.213 + c * 0.787 - s * 0.213, 0.715 - c * 0.715 - s * 0.715, 0.072 - c * 0.072 + s * 0.928,
    0.213 - c * 0.213 + s * 0.143, 0.715 + c * 0.285 + s * 0.14, 0.072 - c * 0.072 - s * 0.283,
    0.213 - c * 0.213 - s * 0.787, 0.715 - c * 0.715 + s * 0.715, 0.072 + c * 0.928 + s * 0.072,
  ] as const;
  return mapRgb(image, (r, g, b, out) => {
    out[0] = m[0] * r + m[1] * g + m[2] * b;
    out[1] = m[3] * r + m[4] * g + m[5] * b;
    out[2] = m[6] * r + m[7] * g + m[8] * b;
  });
}

/** Hue (0–360, HSL-style) and chroma (0–255) of one colour. */
function hueAndChroma(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  if (chroma === 0) return [0, 0];
  const h = max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  return [(h * 60 + 360) % 360, chroma];
}

/**
 * Tint towards a named hue: turns the image's dominant hue (chroma-weighted circular mean) onto the
 * target; an image with hardly any colour is colourised instead.
 */
function tint(image: RgbaImage, color: TintName): RgbaImage {
  const target = TINT_HUES[color];
  const { data } = image;
  let x = 0;
  let y = 0;
  let weight = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [h, c] = hueAndChroma(data[i]!, data[i + 1]!, data[i + 2]!);
    const w = c * data[i + 3]!;
    x += Math.cos((h * Math.PI) / 180) * w;
    y += Math.sin((h * Math.PI) / 180) * w;
    weight += c * data[i + 3]!;
  }
  const pixels = data.length / 4;
  if (weight / pixels / 255 > 12) {
    const mean = (Math.atan2(y, x) * 180) / Math.PI;
    return hueRotate(image, ((target - mean + 540) % 360) - 180);
  }
  const rad = (target * Math.PI) / 180;
  const tone = [Math.cos(rad), Math.cos(rad - (2 * Math.PI) / 3), Math.cos(rad + (2 * Math.PI) / 3)];
  return mapRgb(image, (r, g, b, out) => {
    const l = luma(r, g, b);
    const lift = 60 * Math.sin((Math.PI * l) / 255);
    out[0] = r + tone[0]! * lift;
    out[1] = g + tone[1]! * lift;
    out[2] = b + tone[2]! * lift;
  });
}

function saturation(image: RgbaImage, factor: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    const l = luma(r, g, b);
    out[0] = l + (r - l) * factor;
    out[1] = l + (g - l) * factor;
    out[2] = l + (b - l) * factor;
  });
}

function warmth(image: RgbaImage, amount: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    out[0] = r + 18 * amount;
    out[1] = g + 4 * amount;
    out[2] = b - 18 * amount;
  });
}

/** amount < 0 scales towards black, > 0 towards white. */
function lightness(image: RgbaImage, amount: number): RgbaImage {
  const a = Math.max(-1, Math.min(1, amount));
  return mapRgb(image, (r, g, b, out) => {
    out[0] = a < 0 ? r * (1 + a) : r + (255 - r) * a;
    out[1] = a < 0 ? g * (1 + a) : g + (255 - g) * a;
    out[2] = a < 0 ? b * (1 + a) : b + (255 - b) * a;
  });
}

function contrast(image: RgbaImage, factor: number): RgbaImage {
  return mapRgb(image, (r, g, b, out) => {
    out[0] = (r - 128) * factor + 128;
    out[1] = (g - 128) * factor + 128;
    out[2] = (b - 128) * factor + 128;
  });
}

/** Anti-aliased rounded-corner mask on the alpha channel; `radius` is a fraction of the shorter side. */
function roundCorners(image: RgbaImage, radius: number): RgbaImage {
  const { data, width, height } = image;
  const r = Math.max(1, radius * Math.min(width, height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const dx = px < r ? r - px : px > width - r ? px - (width - r) : 0;
      const dy = py < r ? r - py : py > height - r ? py - (height - r) : 0;
      if (dx === 0 || dy === 0) continue;
      const coverage = Math.max(0, Math.min(1, r - Math.hypot(dx, dy) + 0.5));
      const i = (y * width + x) * 4 + 3;
      data[i] = data[i]! * coverage;
    }
  }
  return image;
}

async function applyOperation(image: RgbaImage, op: RefineOperation): Promise<RgbaImage> {
  switch (op.kind) {
    case 'rotate':
      return rotate(image, op.degrees);
    case 'flip':
      return flip(image, op.axis);
    case 'zoom':
      return zoom(image, op.factor);
    case 'smooth-shapes':
      return smoothShapes(image, op.strength);
    case 'bold-outline':
      return boldOutline(image, op.strength);
    case 'reduce-colors':
      return reduceColors(image, op.colors);
    case 'tint':
      return tint(image, op.color);
    case 'hue-shift':
      return hueRotate(image, op.degrees);
    case 'saturation':
      return saturation(image, op.factor);
    case 'warmth':
      return warmth(image, op.amount);
    case 'grayscale':
      return saturation(image, 0);
    case 'invert':
      return mapRgb(image, (r, g, b, out) => {
        out[0] = 255 - r;
        out[1] = 255 - g;
        out[2] = 255 - b;
      });
    case 'lightness':
      return lightness(image, op.amount);
    case 'contrast':
      return contrast(image, op.factor);
    case 'round-corners':
      return roundCorners(image, op.radius);
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes in, bytes out
// ---------------------------------------------------------------------------------------------

export interface RefinedPng {
  bytes: Buffer;
  width: number;
  height: number;
  /** What was done, in words a user understands, in the order it was done. */
  operations: string[];
}

/** Decodes any supported image to sRGB RGBA (orientation applied); also says whether it had alpha. */
export async function decodeRgba(bytes: Uint8Array): Promise<{ image: RgbaImage; hadAlpha: boolean }> {
  const input = sharp(bytes, { limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION });
  const meta = await input.metadata();
  const { data, info } = await input.rotate().toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    image: { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
    hadAlpha: meta.hasAlpha === true,
  };
}

/** PNG of the pixels; alpha is written when the input had it or an operation made pixels see-through. */
async function encodePng(image: RgbaImage, keepAlpha: boolean): Promise<Buffer> {
  let translucent = keepAlpha;
  for (let i = 3; !translucent && i < image.data.length; i += 4) translucent = image.data[i]! < 255;
  const pipeline = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  return (translucent ? pipeline : pipeline.removeAlpha()).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
}

/**
 * Refines an image by a prompt: parses it, drops operations that touch `preserveAspects`, runs the
 * rest, and returns a PNG at the input size with the operations applied (human words).
 */
export async function refineImageByPrompt(
  bytes: Uint8Array,
  prompt: string,
  preserveAspects: readonly PreserveAspect[] = [],
): Promise<RefinedPng> {
  const plan = planRefineOperations(prompt, preserveAspects);
  const { image: decoded, hadAlpha } = await decodeRgba(bytes);
  let image = decoded;
  for (const { operation } of plan) image = await applyOperation(image, operation);
  return {
    bytes: await encodePng(image, hadAlpha),
    width: image.width,
    height: image.height,
    operations: plan.map((p) => p.label),
  };
}
