/** Palettes: five hex colours with a name and a description. No Node builtins. */
import { InvalidInputError, InvalidPaletteError } from './errors.js';

export interface Palette {
  name: string;
  /** `#rrggbb`, lower case. */
  colors: string[];
  description: string;
}

export const PALETTE_SIZE = 5;
export const MAX_PALETTE_COLORS = 5;
export const MIN_PALETTES = 1;
export const MAX_PALETTES = 12;
export const DEFAULT_PALETTES = 7;

/** A palette provider's `count`: a whole number from MIN_PALETTES to MAX_PALETTES (InvalidInputError otherwise). */
export function assertPaletteCount(count: unknown): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < MIN_PALETTES || count > MAX_PALETTES) {
    throw new InvalidInputError(`The palette count must be a whole number from ${MIN_PALETTES} to ${MAX_PALETTES}`, [
      { field: 'count', message: `must be ${MIN_PALETTES}–${MAX_PALETTES}` },
    ]);
  }
}

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#abc`, `abc`, `#AABBCC` → `#aabbcc`; anything else → null. */
export function normalizeHex(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = HEX.exec(value.trim());
  if (!m) return null;
  const h = m[1]!.toLowerCase();
  return `#${h.length === 3 ? [...h].map((c) => c + c).join('') : h}`;
}

/** Validates and normalises a list of colours for recolouring; throws InvalidPaletteError. */
export function parsePaletteColors(colors: unknown, max = MAX_PALETTE_COLORS): string[] {
  if (!Array.isArray(colors) || colors.length === 0) throw new InvalidPaletteError('A palette needs at least one colour');
  if (colors.length > max) throw new InvalidPaletteError(`A palette has at most ${max} colours, got ${colors.length}`);
  return colors.map((c, i) => {
    const hex = normalizeHex(c);
    if (!hex) throw new InvalidPaletteError(`Colour ${i + 1} is not a hex colour: ${JSON.stringify(c)}`);
    return hex;
  });
}

export function hexToRgb(hex: string): [number, number, number] {
  const h = normalizeHex(hex);
  if (!h) throw new InvalidPaletteError(`Not a hex colour: ${JSON.stringify(hex)}`);
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

export function rgbToHex(r: number, g: number, b: number): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** Palettes are distinct when no two have the same colour list (order-insensitive). */
export function paletteKey(p: Pick<Palette, 'colors'>): string {
  return [...p.colors].map((c) => normalizeHex(c) ?? c).sort().join(',');
}
