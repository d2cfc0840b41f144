/** `Retry-After` (delta seconds or an HTTP date) and OpenAI's `retry-after-ms`, as a bounded delay. */

/** A provider asking for more than this is still retried after this long (the activity's policy bounds attempts). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

const DELTA_SECONDS = /^\d+(\.\d+)?$/;
/** An HTTP date names its month (`Wed, 21 Oct 2015 07:28:00 GMT`); this keeps `-5` from parsing as a year. */
const HTTP_DATE = /[a-z]{3}/i;

/** Milliseconds to wait before the next attempt, clamped to 0…MAX_RETRY_AFTER_MS; undefined when not given or unreadable. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const precise = headers.get('retry-after-ms')?.trim();
  if (precise && DELTA_SECONDS.test(precise)) return clamp(Number(precise));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (DELTA_SECONDS.test(value)) return clamp(Number(value) * 1000);
  const at = HTTP_DATE.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : clamp(at - now);
}

function clamp(ms: number): number {
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));
}
