/**
 * Quotas over HTTP, in the shapes the original frontend reads: `X-RateLimit-Limit/Remaining/Reset`
 * (reset as Unix seconds), a 429 with `Retry-After` and `{ message, limit, current, period,
 * reset_after_seconds }`, and the `/health/rate-limits-status` document keyed by the original's
 * category names.
 */
import { bindingWindow, QUOTA_LABELS, remainingIn, retryAt, type QuotaCategory, type QuotaDecision, type QuotaWindowUsage } from '../domain/quota.js';
import { HttpError } from './errors.js';

/** The original service's names for the categories. */
export const ORIGINAL_CATEGORY_NAMES: Record<QuotaCategory, string> = {
  generate: 'generate_concept',
  refine: 'refine_concept',
  export: 'export_action',
};

const unixSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);
const secondsUntil = (iso: string, nowMs: number) => Math.max(1, Math.ceil((Date.parse(iso) - nowMs) / 1000));

export function describeWait(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.ceil(seconds / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function headersFor(window: QuotaWindowUsage): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(window.limit),
    'X-RateLimit-Remaining': String(remainingIn(window)),
    'X-RateLimit-Reset': String(unixSeconds(window.resets_at)),
  };
}

/** Headers for the window that limits first; none when the category is unlimited. */
export function rateLimitHeaders(windows: readonly QuotaWindowUsage[]): Record<string, string> {
  const window = bindingWindow(windows);
  return window ? headersFor(window) : {};
}

/** The 429 for a refused use: the full window that frees up last says when to retry. */
export function quotaExceeded(category: QuotaCategory, decision: QuotaDecision, nowMs: number): HttpError {
  const until = retryAt(decision.windows) ?? new Date(nowMs + 1000).toISOString();
  const blocking = decision.windows.filter((w) => w.used >= w.limit && w.resets_at === until)[0] ?? bindingWindow(decision.windows);
  const wait = secondsUntil(until, nowMs);
  const label = QUOTA_LABELS[category];
  const message = blocking
    ? `${label} limit reached (${blocking.used}/${blocking.limit} per ${blocking.period}). Please try again in ${describeWait(wait)}.`
    : `${label} limit reached. Please try again in ${describeWait(wait)}.`;
  return new HttpError(429, 'quota_exceeded', message, {
    headers: { 'Retry-After': String(wait), ...(blocking ? headersFor(blocking) : {}) },
    details: { category },
    body: {
      limit: blocking?.limit ?? 0,
      current: blocking?.used ?? 0,
      period: blocking?.period ?? 'unknown',
      reset_after_seconds: wait,
    },
  });
}

/** One category in the original's `limits` map, plus every enforced window. */
function presentCategory(windows: QuotaWindowUsage[], nowMs: number) {
  const binding = bindingWindow(windows)!;
  return {
    limit: `${binding.limit}/${binding.period}`,
    remaining: remainingIn(binding),
    reset_after: secondsUntil(binding.resets_at, nowMs),
    current_count: binding.used,
    period: binding.period,
    exceeded: binding.used >= binding.limit,
    windows: windows.map((w) => ({
      limit: `${w.limit}/${w.period}`,
      remaining: remainingIn(w),
      reset_after: secondsUntil(w.resets_at, nowMs),
      current_count: w.used,
      period: w.period,
      resets_at: w.resets_at,
    })),
  };
}

/** GET /api/health/rate-limits-status. Unlimited categories are left out (nothing to show). */
export function presentRateLimits(userId: string, authenticated: boolean, all: Record<QuotaCategory, QuotaWindowUsage[]>, nowMs: number) {
  const limits: Record<string, ReturnType<typeof presentCategory>> = {};
  const defaults: string[] = [];
  for (const [category, windows] of Object.entries(all) as [QuotaCategory, QuotaWindowUsage[]][]) {
    if (windows.length === 0) continue;
    limits[ORIGINAL_CATEGORY_NAMES[category]] = presentCategory(windows, nowMs);
    defaults.push(...windows.map((w) => `${w.limit}/${w.period}`));
  }
  return {
    user_identifier: `user:${userId.slice(0, 4)}${userId.length > 4 ? '****' : ''}`,
    authenticated,
    limits,
    default_limits: [...new Set(defaults)],
    last_updated: new Date(nowMs).toISOString(),
  };
}
