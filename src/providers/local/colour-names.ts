/**
 * Plain-English names for OKLCH colours ("deep navy", "pale peach", "dusty rose", "charcoal"), so
 * palette names and descriptions can say what a palette looks like. Deterministic, no lookups.
 */
import { hueFamilyName, type Oklch } from '../../imaging/logo/index.js';

function neutralName({ l, h }: Oklch, chroma: number): string {
  const warm = chroma >= 0.008 && h >= 40 && h < 115;
  const cool = chroma >= 0.008 && h >= 180 && h < 300;
  if (l >= 0.95) return warm ? 'ivory' : 'white';
  if (l >= 0.86) return warm ? 'cream' : cool ? 'silver' : 'light grey';
  if (l >= 0.62) return warm ? 'stone' : 'grey';
  if (l >= 0.4) return warm ? 'taupe' : cool ? 'slate' : 'graphite';
  if (l >= 0.24) return cool ? 'dark slate' : 'charcoal';
  return 'black';
}

/** Family words that change with lightness: dark orange reads as brown, pale pink as blush. */
const SHADES: Record<string, { dark?: string; light?: string }> = {
  pink: { dark: 'plum', light: 'blush' },
  red: { dark: 'maroon', light: 'rose' },
  orange: { dark: 'brown', light: 'peach' },
  yellow: { dark: 'olive', light: 'butter' },
  lime: { dark: 'olive', light: 'pistachio' },
  green: { dark: 'forest', light: 'mint' },
  teal: { dark: 'dark teal', light: 'aqua' },
  blue: { dark: 'navy', light: 'sky' },
  indigo: { dark: 'midnight', light: 'periwinkle' },
  purple: { dark: 'aubergine', light: 'lavender' },
};

/** Dark greyish versions of a family. */
const DUSKY: Record<string, string> = { orange: 'brown', red: 'maroon', yellow: 'olive', lime: 'olive' };

/** A short name for a colour: a lightness/chroma word plus a colour word, or a neutral. */
export function colourName(color: Oklch): string {
  const chroma = Math.max(0, color.c);
  if (chroma < 0.03) return neutralName(color, chroma);
  const family = hueFamilyName(color.h);
  const shade = SHADES[family] ?? {};
  const muted = chroma < 0.07;
  if (color.l < 0.4) return muted ? `dusky ${DUSKY[family] ?? family}` : (shade.dark ?? `deep ${family}`);
  if (color.l > 0.86) return shade.light ? `${muted ? 'pale ' : ''}${shade.light}` : `pale ${family}`;
  if (family === 'orange' && color.l < 0.56) return chroma >= 0.12 ? 'rust' : 'brown';
  if (family === 'yellow' && color.l < 0.75) return chroma >= 0.1 ? 'mustard' : 'olive';
  if (muted) return `dusty ${family}`;
  if (chroma > 0.18) return `vivid ${family}`;
  if (color.l > 0.74) return `light ${family}`;
  return family;
}

/** "Navy" from "navy", "Deep teal" from "deep teal". */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Deep Teal" from "deep teal". */
export function titleCase(text: string): string {
  return text.split(' ').map(capitalise).join(' ');
}
