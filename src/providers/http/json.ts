/** JSON from providers: strict for API envelopes, forgiving for text a language model wrote. */
import { ProviderBadOutputError } from '../../domain/errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first element of an array, else undefined. */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}

/** A response body that must be JSON (the API's own envelope); ProviderBadOutputError otherwise. */
export function parseJsonBody(provider: string, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ProviderBadOutputError(`${provider} answered with malformed JSON`, { cause: err });
  }
}

const FENCED = /```[a-z]*[ \t]*\r?\n?([\s\S]*?)```/i;

/**
 * JSON in model-written text: the whole text, else the first markdown-fenced block, else the span
 * from the first `{` or `[` to the last matching closer (prose before or after is ignored).
 * Undefined when none of these parses.
 */
export function extractJson(text: string): { value: unknown } | undefined {
  const candidates = [text.trim(), FENCED.exec(text)?.[1]?.trim(), ...spans(text)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return { value: JSON.parse(candidate) as unknown };
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/** Object and array spans, the one that starts first tried first. */
function spans(text: string): string[] {
  const pairs: [string, string][] = [['{', '}'], ['[', ']']];
  const found = pairs
    .map(([open, close]) => ({ start: text.indexOf(open), end: text.lastIndexOf(close) }))
    .filter(({ start, end }) => start >= 0 && end > start)
    .sort((a, b) => a.start - b.start);
  return found.map(({ start, end }) => text.slice(start, end + 1));
}
