/**
 * Simple flat glyphs drawn from SVG primitives in a 100×100 box, picked by keywords in the logo
 * description ("mountain", "coffee", "rocket"…). Each glyph uses two colours (`main`, `accent`)
 * and the colour behind it (`ground`) for cut-outs, so it reads as one clean mark.
 */

export interface GlyphColors {
  main: string;
  accent: string;
  ground: string;
}

export type GlyphName =
  | 'mountain' | 'leaf' | 'wave' | 'star' | 'bolt' | 'coffee' | 'heart' | 'code' | 'rocket' | 'eye'
  | 'sun' | 'drop' | 'tree' | 'book' | 'camera' | 'music' | 'paw' | 'cloud' | 'globe' | 'chart'
  | 'crown' | 'house' | 'flower' | 'moon' | 'gem' | 'bulb' | 'anchor' | 'gamepad';

type Draw = (c: GlyphColors) => string;

const n = (v: number) => Number(v.toFixed(2));

function starPoints(cx: number, cy: number, outer: number, inner: number, tips = 5): string {
  const points: string[] = [];
  for (let i = 0; i < tips * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / tips;
    points.push(`${n(cx + r * Math.cos(a))},${n(cy + r * Math.sin(a))}`);
  }
  return points.join(' ');
}

function radial(count: number, draw: (angle: number, i: number) => string): string {
  return Array.from({ length: count }, (_, i) => draw((360 / count) * i, i)).join('');
}

const GLYPHS: Record<GlyphName, Draw> = {
  mountain: (c) =>
    `<circle cx="74" cy="26" r="9" fill="${c.accent}"/>` +
    `<path d="M4 84 L38 28 Q42 22 46 28 L80 84 Z" fill="${c.main}"/>` +
    `<path d="M48 84 L68 52 Q71 47 74 52 L96 84 Z" fill="${c.accent}"/>` +
    `<path d="M31 42 L36.5 47 L42 41 L47.5 47 L53 42" fill="none" stroke="${c.ground}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>`,
  leaf: (c) =>
    `<path d="M22 86 C10 56 22 20 84 12 C90 64 64 88 22 86 Z" fill="${c.main}"/>` +
    `<path d="M16 94 C34 66 52 46 72 28" fill="none" stroke="${c.accent}" stroke-width="6" stroke-linecap="round"/>`,
  wave: (c) =>
    [30, 50, 70]
      .map(
        (y, i) =>
          `<path d="M10 ${y} q10 -12 20 0 t20 0 t20 0 t20 0" fill="none" stroke="${i === 1 ? c.accent : c.main}" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/>`,
      )
      .join(''),
  star: (c) =>
    `<polygon points="${starPoints(50, 53, 46, 19)}" fill="${c.main}" stroke="${c.main}" stroke-width="6" stroke-linejoin="round"/>` +
    `<polygon points="${starPoints(50, 53, 18, 7.5)}" fill="${c.accent}"/>`,
  bolt: (c) =>
    `<polygon points="60,4 18,56 46,56 36,96 82,40 54,40 66,4" fill="${c.main}" stroke="${c.main}" stroke-width="4" stroke-linejoin="round"/>` +
    `<polygon points="60,4 18,56 46,56 52,40 66,4" fill="${c.accent}"/>`,
  coffee: (c) =>
    `<path d="M38 30 q-7 -8 0 -15 t0 -13 M54 30 q-7 -8 0 -15 t0 -13" fill="none" stroke="${c.accent}" stroke-width="5" stroke-linecap="round"/>` +
    `<circle cx="74" cy="56" r="11" fill="none" stroke="${c.main}" stroke-width="7"/>` +
    `<path d="M16 38 H78 V58 A24 24 0 0 1 54 82 H40 A24 24 0 0 1 16 58 Z" fill="${c.main}"/>` +
    `<rect x="8" y="86" width="80" height="8" rx="4" fill="${c.accent}"/>`,
  heart: (c) =>
    `<path d="M50 88 C18 66 6 50 6 33 A22 22 0 0 1 50 22 A22 22 0 0 1 94 33 C94 50 82 66 50 88 Z" fill="${c.main}"/>` +
    `<path d="M20 34 A12 12 0 0 1 32 22" fill="none" stroke="${c.accent}" stroke-width="6" stroke-linecap="round"/>`,
  code: (c) =>
    `<polyline points="32,24 8,50 32,76" fill="none" stroke="${c.main}" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>` +
    `<polyline points="68,24 92,50 68,76" fill="none" stroke="${c.main}" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>` +
    `<line x1="58" y1="18" x2="42" y2="82" stroke="${c.accent}" stroke-width="10" stroke-linecap="round"/>`,
  rocket: (c) =>
    `<path d="M40 74 H60 L50 98 Z" fill="${c.accent}"/>` +
    `<path d="M34 54 L16 72 L18 86 L36 72 Z M66 54 L84 72 L82 86 L64 72 Z" fill="${c.accent}"/>` +
    `<path d="M50 2 C70 18 74 46 66 74 H34 C26 46 30 18 50 2 Z" fill="${c.main}"/>` +
    `<circle cx="50" cy="38" r="11" fill="${c.accent}"/><circle cx="50" cy="38" r="6" fill="${c.ground}"/>`,
  eye: (c) =>
    `<path d="M4 50 Q50 2 96 50 Q50 98 4 50 Z" fill="${c.main}"/>` +
    `<circle cx="50" cy="50" r="21" fill="${c.accent}"/>` +
    `<circle cx="50" cy="50" r="10" fill="${c.ground}"/>` +
    `<circle cx="57" cy="43" r="4" fill="${c.main}"/>`,
  sun: (c) =>
    radial(
      10,
      (a) => `<rect x="46" y="2" width="8" height="18" rx="4" fill="${c.accent}" transform="rotate(${a} 50 50)"/>`,
    ) + `<circle cx="50" cy="50" r="25" fill="${c.main}"/>`,
  drop: (c) =>
    `<path d="M50 4 C50 4 16 44 16 64 A34 34 0 0 0 84 64 C84 44 50 4 50 4 Z" fill="${c.main}"/>` +
    `<path d="M32 62 A18 18 0 0 0 46 82" fill="none" stroke="${c.accent}" stroke-width="6" stroke-linecap="round"/>`,
  tree: (c) =>
    `<rect x="43" y="74" width="14" height="22" rx="3" fill="${c.accent}"/>` +
    `<path d="M50 4 L76 38 H24 Z M50 22 L82 58 H18 Z M50 40 L88 78 H12 Z" fill="${c.main}" stroke="${c.main}" stroke-width="4" stroke-linejoin="round"/>`,
  book: (c) =>
    `<path d="M48 22 C36 14 20 13 6 17 V80 C20 76 36 77 48 86 Z" fill="${c.main}"/>` +
    `<path d="M52 22 C64 14 80 13 94 17 V80 C80 76 64 77 52 86 Z" fill="${c.accent}"/>`,
  camera: (c) =>
    `<rect x="32" y="16" width="36" height="16" rx="5" fill="${c.main}"/>` +
    `<rect x="6" y="26" width="88" height="62" rx="12" fill="${c.main}"/>` +
    `<circle cx="50" cy="57" r="22" fill="${c.ground}"/><circle cx="50" cy="57" r="14" fill="${c.accent}"/>` +
    `<circle cx="80" cy="38" r="4" fill="${c.accent}"/>`,
  music: (c) =>
    `<path d="M34 26 L86 12 V24 L34 38 Z" fill="${c.accent}"/>` +
    `<rect x="32" y="26" width="7" height="52" fill="${c.main}"/><rect x="79" y="12" width="7" height="56" fill="${c.main}"/>` +
    `<ellipse cx="26" cy="78" rx="13" ry="10" fill="${c.main}"/><ellipse cx="73" cy="68" rx="13" ry="10" fill="${c.main}"/>`,
  paw: (c) =>
    `<path d="M50 46 C68 46 82 64 80 78 C78 90 64 88 50 84 C36 88 22 90 20 78 C18 64 32 46 50 46 Z" fill="${c.main}"/>` +
    `<ellipse cx="16" cy="44" rx="9" ry="12" fill="${c.accent}"/><ellipse cx="36" cy="22" rx="9" ry="12" fill="${c.accent}"/>` +
    `<ellipse cx="64" cy="22" rx="9" ry="12" fill="${c.accent}"/><ellipse cx="84" cy="44" rx="9" ry="12" fill="${c.accent}"/>`,
  cloud: (c) =>
    `<circle cx="70" cy="30" r="16" fill="${c.accent}"/>` +
    `<g fill="${c.main}"><circle cx="32" cy="58" r="18"/><circle cx="54" cy="46" r="24"/><circle cx="76" cy="62" r="15"/>` +
    `<rect x="14" y="58" width="77" height="19" rx="9.5"/></g>`,
  globe: (c) =>
    `<circle cx="50" cy="50" r="44" fill="${c.main}"/>` +
    `<g fill="none" stroke="${c.accent}" stroke-width="5"><ellipse cx="50" cy="50" rx="18" ry="44"/>` +
    `<line x1="6" y1="50" x2="94" y2="50"/><path d="M14 28 Q50 38 86 28 M14 72 Q50 62 86 72"/></g>`,
  chart: (c) =>
    `<rect x="10" y="62" width="18" height="30" rx="3" fill="${c.main}"/><rect x="36" y="46" width="18" height="46" rx="3" fill="${c.main}"/>` +
    `<rect x="62" y="30" width="18" height="62" rx="3" fill="${c.main}"/>` +
    `<polyline points="8,44 34,24 50,32 80,8" fill="none" stroke="${c.accent}" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>` +
    `<polygon points="92,2 88,20 74,8" fill="${c.accent}" stroke="${c.accent}" stroke-width="3" stroke-linejoin="round"/>`,
  crown: (c) =>
    `<polygon points="10,72 14,28 34,50 50,18 66,50 86,28 90,72" fill="${c.main}" stroke="${c.main}" stroke-width="6" stroke-linejoin="round"/>` +
    `<rect x="8" y="78" width="84" height="12" rx="4" fill="${c.accent}"/>` +
    `<circle cx="14" cy="24" r="6" fill="${c.accent}"/><circle cx="50" cy="13" r="6" fill="${c.accent}"/><circle cx="86" cy="24" r="6" fill="${c.accent}"/>`,
  house: (c) =>
    `<path d="M50 8 L92 46 H80 V90 H20 V46 H8 Z" fill="${c.main}" stroke="${c.main}" stroke-width="5" stroke-linejoin="round"/>` +
    `<rect x="40" y="58" width="20" height="32" rx="3" fill="${c.accent}"/>`,
  flower: (c) =>
    radial(6, (a) => `<ellipse cx="50" cy="25" rx="13" ry="22" fill="${c.main}" transform="rotate(${a} 50 50)"/>`) +
    `<circle cx="50" cy="50" r="14" fill="${c.accent}"/>`,
  moon: (c) =>
    `<path d="M62 6 A44 44 0 1 0 94 62 A34 34 0 1 1 62 6 Z" fill="${c.main}"/>` +
    `<polygon points="${starPoints(78, 24, 12, 5, 4)}" fill="${c.accent}"/>`,
  gem: (c) =>
    `<polygon points="26,12 74,12 96,38 50,92 4,38" fill="${c.main}" stroke="${c.main}" stroke-width="4" stroke-linejoin="round"/>` +
    `<polygon points="26,12 74,12 64,38 36,38" fill="${c.accent}"/>` +
    `<path d="M6 38 H94 M36 38 L50 88 L64 38" fill="none" stroke="${c.ground}" stroke-width="3.5" stroke-linejoin="round"/>`,
  bulb: (c) =>
    `<path d="M50 4 A32 32 0 0 1 70 62 V70 H30 V62 A32 32 0 0 1 50 4 Z" fill="${c.main}"/>` +
    `<rect x="32" y="75" width="36" height="8" rx="4" fill="${c.accent}"/><rect x="38" y="87" width="24" height="8" rx="4" fill="${c.accent}"/>` +
    `<path d="M42 46 L50 56 L58 46" fill="none" stroke="${c.accent}" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>`,
  anchor: (c) =>
    `<circle cx="50" cy="14" r="9" fill="none" stroke="${c.accent}" stroke-width="6"/>` +
    `<rect x="30" y="28" width="40" height="8" rx="4" fill="${c.accent}"/>` +
    `<rect x="45" y="22" width="10" height="66" rx="4" fill="${c.main}"/>` +
    `<path d="M12 56 Q14 88 50 90 Q86 88 88 56" fill="none" stroke="${c.main}" stroke-width="9" stroke-linecap="round"/>` +
    `<polygon points="4,60 20,50 22,66" fill="${c.main}" stroke="${c.main}" stroke-width="3" stroke-linejoin="round"/>` +
    `<polygon points="96,60 80,50 78,66" fill="${c.main}" stroke="${c.main}" stroke-width="3" stroke-linejoin="round"/>`,
  gamepad: (c) =>
    `<path d="M26 28 H74 C88 28 96 42 96 60 C96 76 88 84 80 84 C72 84 68 72 60 72 H40 C32 72 28 84 20 84 C12 84 4 76 4 60 C4 42 12 28 26 28 Z" fill="${c.main}"/>` +
    `<path d="M20 52 H38 M29 43 V61" stroke="${c.ground}" stroke-width="7" stroke-linecap="round"/>` +
    `<circle cx="68" cy="46" r="6" fill="${c.accent}"/><circle cx="80" cy="58" r="6" fill="${c.accent}"/>`,
};

const KEYWORDS: Record<GlyphName, string[]> = {
  mountain: ['mountain', 'mountains', 'peak', 'peaks', 'alpine', 'summit', 'hike', 'hiking', 'climb', 'climbing', 'outdoor', 'outdoors', 'adventure', 'ski'],
  leaf: ['leaf', 'leaves', 'plant', 'plants', 'eco', 'organic', 'garden', 'gardening', 'botanical', 'herb', 'herbal', 'vegan', 'tea', 'green', 'sustainable'],
  wave: ['wave', 'waves', 'ocean', 'sea', 'surf', 'surfing', 'water', 'marine', 'beach', 'tide', 'river', 'swim', 'swimming'],
  star: ['star', 'stars', 'stellar', 'award', 'awards', 'favorite', 'favourite', 'rating', 'celebrity'],
  bolt: ['bolt', 'lightning', 'energy', 'electric', 'electricity', 'power', 'flash', 'fast', 'speed', 'volt', 'charge', 'charging', 'battery'],
  coffee: ['coffee', 'cafe', 'espresso', 'latte', 'cup', 'mug', 'brew', 'brewing', 'barista', 'roastery', 'roasters', 'cappuccino'],
  heart: ['heart', 'love', 'care', 'caring', 'health', 'dating', 'charity', 'kindness', 'kind', 'romance', 'valentine'],
  code: ['code', 'coding', 'coder', 'dev', 'developer', 'developers', 'software', 'programming', 'programmer', 'brackets', 'api', 'devops', 'hacker'],
  rocket: ['rocket', 'launch', 'launchpad', 'space', 'spaceship', 'boost', 'growthhack', 'orbit', 'astronaut'],
  eye: ['eye', 'eyes', 'vision', 'optic', 'optical', 'optician', 'watch', 'view', 'insight', 'insights', 'surveillance', 'visibility'],
  sun: ['sun', 'solar', 'sunny', 'sunshine', 'summer', 'morning', 'sunrise', 'sunset', 'daylight'],
  drop: ['drop', 'droplet', 'liquid', 'rain', 'aqua', 'hydration', 'oil', 'plumbing', 'plumber', 'ink'],
  tree: ['tree', 'trees', 'forest', 'wood', 'woods', 'pine', 'timber', 'lumber', 'christmas', 'camping'],
  book: ['book', 'books', 'library', 'read', 'reading', 'learn', 'learning', 'education', 'school', 'study', 'academy', 'publishing', 'bookstore'],
  camera: ['camera', 'photo', 'photos', 'photography', 'photographer', 'lens', 'snapshot', 'film', 'video'],
  music: ['music', 'musical', 'note', 'song', 'songs', 'audio', 'sound', 'melody', 'band', 'recording', 'podcast', 'radio'],
  paw: ['pet', 'pets', 'paw', 'paws', 'dog', 'dogs', 'cat', 'cats', 'vet', 'veterinary', 'animal', 'animals', 'puppy', 'kitten'],
  cloud: ['cloud', 'clouds', 'sky', 'weather', 'hosting', 'storage', 'saas', 'nimbus'],
  globe: ['globe', 'world', 'global', 'travel', 'earth', 'international', 'planet', 'language', 'languages', 'translation'],
  chart: ['chart', 'charts', 'growth', 'finance', 'financial', 'analytics', 'data', 'invest', 'investing', 'investment', 'stocks', 'trading', 'metrics'],
  crown: ['crown', 'king', 'queen', 'royal', 'royalty', 'prince', 'princess', 'empire', 'kingdom'],
  house: ['house', 'home', 'homes', 'real', 'estate', 'property', 'realty', 'housing', 'rent', 'rental', 'roof', 'builder', 'construction'],
  flower: ['flower', 'flowers', 'floral', 'florist', 'bloom', 'blossom', 'petal', 'petals', 'rose', 'daisy', 'lotus', 'yoga'],
  moon: ['moon', 'lunar', 'night', 'sleep', 'dream', 'dreams', 'crescent', 'midnight', 'bedtime'],
  gem: ['gem', 'gems', 'jewel', 'jewelry', 'jewellery', 'diamond', 'diamonds', 'crystal', 'luxury', 'precious'],
  anchor: ['anchor', 'harbor', 'harbour', 'sailing', 'sail', 'sailor', 'nautical', 'boat', 'boats', 'yacht', 'ship', 'marina', 'port', 'maritime'],
  gamepad: ['game', 'games', 'gaming', 'gamer', 'gamers', 'esports', 'arcade', 'console', 'controller', 'play', 'playground'],
  bulb: ['bulb', 'idea', 'ideas', 'innovation', 'innovative', 'creative', 'creativity', 'lamp', 'lighting', 'inspiration', 'brainstorm'],
};

const GLYPH_BY_WORD = new Map<string, GlyphName>(
  (Object.entries(KEYWORDS) as [GlyphName, string[]][]).flatMap(([glyph, words]) => words.map((w) => [w, glyph] as [string, GlyphName])),
);

/** The glyph named by the earliest keyword in `words`, or null. */
export function glyphForWords(words: readonly string[]): GlyphName | null {
  for (const word of words) {
    const glyph = GLYPH_BY_WORD.get(word) ?? GLYPH_BY_WORD.get(word.replace(/s$/, ''));
    if (glyph) return glyph;
  }
  return null;
}

/** The glyph as SVG, scaled from its 100×100 box into a `size`-wide square centred on (cx, cy). */
export function drawGlyph(name: GlyphName, colors: GlyphColors, cx: number, cy: number, size: number): string {
  const scale = size / 100;
  return `<g transform="translate(${n(cx - size / 2)} ${n(cy - size / 2)}) scale(${n(scale)})">${GLYPHS[name](colors)}</g>`;
}

export const GLYPH_NAMES = Object.keys(GLYPHS) as GlyphName[];
