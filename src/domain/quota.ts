/**
 * Usage quotas: per user and category, in fixed UTC calendar windows (the current hour, the
 * current month). A window with limit 0 is not enforced. The counting itself is SQL
 * (`conceptflow_quota_take` in the migrations) so both backends apply one rule. No Node builtins.
 */
import type { TaskType } from './task.js';

export const QUOTA_CATEGORIES = ['generate', 'refine', 'export'] as const;
export type QuotaCategory = (typeof QUOTA_CATEGORIES)[number];

export const QUOTA_PERIODS = ['hour', 'month'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface QuotaWindow {
  period: QuotaPeriod;
  /** Uses allowed per window; windows with 0 are not passed to the store. */
  limit: number;
}

export interface QuotaWindowUsage extends QuotaWindow {
  /** Uses counted in the current window. */
  used: number;
  /** ISO time the current window ends. */
  resets_at: string;
}

export interface QuotaDecision {
  granted: boolean;
  /** Every enforced window, as it stands after the decision. */
  windows: QuotaWindowUsage[];
}

/** Per category, the enforced windows. */
export type QuotaLimits = Record<QuotaCategory, QuotaWindow[]>;

export const quotaCategoryOf = (type: TaskType): QuotaCategory => (type === 'generation' ? 'generate' : 'refine');

export const QUOTA_LABELS: Record<QuotaCategory, string> = {
  generate: 'Concept generation',
  refine: 'Concept refinement',
  export: 'Image export',
};

const remaining = (w: QuotaWindowUsage) => Math.max(0, w.limit - w.used);

/** The window that limits first: least remaining, and of those the one that resets last. */
export function bindingWindow(windows: readonly QuotaWindowUsage[]): QuotaWindowUsage | null {
  let best: QuotaWindowUsage | null = null;
  for (const w of windows) {
    if (!best || remaining(w) < remaining(best) || (remaining(w) === remaining(best) && w.resets_at > best.resets_at)) best = w;
  }
  return best;
}

/** When every full window has reset (a refused use may be retried then); null when none is full. */
export function retryAt(windows: readonly QuotaWindowUsage[]): string | null {
  const full = windows.filter((w) => w.used >= w.limit).map((w) => w.resets_at);
  return full.length === 0 ? null : full.reduce((a, b) => (a > b ? a : b));
}

export const remainingIn = remaining;
