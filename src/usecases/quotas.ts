/**
 * Usage quotas as the API applies them: one use per accepted run start or export, counted in the
 * database (so every API process and every restart sees the same counts), refunded when the start
 * fails. The configured limits decide which windows are enforced; the counting is the store's.
 */
import { QUOTA_CATEGORIES, type QuotaCategory, type QuotaDecision, type QuotaLimits, type QuotaWindowUsage } from '../domain/quota.js';
import type { QuotaRepository } from '../persistence/ports.js';

export class QuotaService {
  constructor(
    private readonly store: QuotaRepository,
    private readonly limits: QuotaLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use of `subject` (a task id, an export id) unless a window is full. */
  take(userId: string, category: QuotaCategory, subject: string): Promise<QuotaDecision> {
    return this.store.take(userId, category, subject, this.limits[category], new Date(this.now()));
  }

  /** Gives back the use counted for `subject`. */
  refund(category: QuotaCategory, subject: string): Promise<void> {
    return this.store.refund(category, subject);
  }

  usage(userId: string, category: QuotaCategory): Promise<QuotaWindowUsage[]> {
    if (this.limits[category].length === 0) return Promise.resolve([]);
    return this.store.usage(userId, category, this.limits[category], new Date(this.now()));
  }

  /** Every category's windows, for the status endpoint. */
  async all(userId: string): Promise<Record<QuotaCategory, QuotaWindowUsage[]>> {
    const entries = await Promise.all(QUOTA_CATEGORIES.map(async (c) => [c, await this.usage(userId, c)] as const));
    return Object.fromEntries(entries) as Record<QuotaCategory, QuotaWindowUsage[]>;
  }
}
