/**
 * Palette answers of language models, repaired where that is safe and rejected where it is not.
 *
 * Accepted: JSON alone, in a markdown fence or after prose; `{palettes: […]}` (also under
 * `result`/`data`), a bare array, or a JSON string of either; colours under `colors`, `colours` or
 * `hex_codes`, as strings (`#abc`, `AABBCC`), `{hex}` objects or one comma-separated string.
 * Repaired: hex normalised to `#rrggbb`, invalid and repeated colours dropped, more than five
 * colours cut to five, a missing name filled in. Rejected: a palette with fewer than five valid
 * colours (never padded with invented ones) and a duplicate palette (same colours, any order).
 * Fewer than `count` usable palettes → ProviderBadOutputError, which is retryable: models vary.
 */
import { ProviderBadOutputError } from '../../domain/errors.js';
import { normalizeHex, PALETTE_SIZE, paletteKey, type Palette } from '../../domain/palette.js';
import { extractJson, isRecord } from './json.js';

const LIST_KEYS = ['palettes', 'color_palettes', 'colour_palettes', 'result', 'data', 'output'];
const COLOR_KEYS = ['colors', 'colours', 'hex_codes', 'hexCodes'];
const COLOR_FIELDS = ['hex', 'hex_code', 'code', 'value', 'color', 'colour'];
const MAX_NAME = 80;
const MAX_DESCRIPTION = 400;

function paletteList(value: unknown, depth = 0): unknown[] | undefined {
  if (depth > 3) return undefined;
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const json = extractJson(value);
    return json ? paletteList(json.value, depth + 1) : undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const key of LIST_KEYS) {
    const list = key in value ? paletteList(value[key], depth + 1) : undefined;
    if (list) return list;
  }
  return undefined;
}

function colourOf(entry: unknown): string | null {
  const value = isRecord(entry) ? COLOR_FIELDS.map((f) => entry[f]).find((v) => typeof v === 'string') : entry;
  return normalizeHex(value);
}

function colourList(entry: Record<string, unknown>): unknown[] {
  const raw = COLOR_KEYS.map((k) => entry[k]).find((v) => Array.isArray(v) || typeof v === 'string');
  return typeof raw === 'string' ? raw.split(/[\s,;]+/) : ((raw as unknown[] | undefined) ?? []);
}

function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The palette, or why the entry is unusable. */
function toPalette(entry: unknown, index: number): Palette | string {
  if (!isRecord(entry)) return 'not an object';
  const valid = colourList(entry)
    .map(colourOf)
    .filter((c): c is string => c !== null);
  const colors = [...new Set(valid)].slice(0, PALETTE_SIZE);
  if (colors.length < PALETTE_SIZE) return `fewer than ${PALETTE_SIZE} valid colours`;
  const name = cleanText(entry.name ?? entry.title, MAX_NAME) || `Palette ${index + 1}`;
  return { name, colors, description: cleanText(entry.description, MAX_DESCRIPTION) };
}

/** Exactly `count` distinct palettes of five `#rrggbb` colours from a model's answer, or ProviderBadOutputError. */
export function parsePaletteOutput(output: unknown, count: number, provider: string): Palette[] {
  const list = paletteList(output);
  if (!list) throw new ProviderBadOutputError(`${provider} did not answer with a JSON list of palettes`);
  const seen = new Set<string>();
  const palettes: Palette[] = [];
  const problems = new Map<string, number>();
  const note = (problem: string) => problems.set(problem, (problems.get(problem) ?? 0) + 1);
  for (const [index, entry] of list.entries()) {
    const palette = toPalette(entry, index);
    if (typeof palette === 'string') {
      note(palette);
      continue;
    }
    const key = paletteKey(palette);
    if (seen.has(key)) {
      note('a duplicate');
      continue;
    }
    seen.add(key);
    palettes.push(palette);
  }
  if (palettes.length < count) {
    const dropped = [...problems].map(([problem, n]) => `${n} ${problem}`).join(', ');
    throw new ProviderBadOutputError(
      `${provider} returned ${palettes.length} usable palettes of the ${count} asked for${dropped ? ` (dropped: ${dropped})` : ''}`,
    );
  }
  return palettes.slice(0, count);
}
