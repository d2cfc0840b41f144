/** QuotaRepository over PostgREST: the `conceptflow_quota_*` SQL functions through rpc (service role). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { QuotaCategory, QuotaDecision, QuotaWindow, QuotaWindowUsage } from '../../domain/quota.js';
import type { QuotaRepository } from '../ports.js';
import { toQuotaDecision, toQuotaUsage, type QuotaUsageRow } from '../rows.js';
import { dataOf } from './errors.js';

export class SupabaseQuotaRepository implements QuotaRepository {
  constructor(private readonly db: SupabaseClient) {}

  async take(userId: string, category: QuotaCategory, subject: string, windows: QuotaWindow[], at: Date): Promise<QuotaDecision> {
    const result = await this.db.rpc('conceptflow_quota_take', {
      p_user_id: userId,
      p_category: category,
      p_subject: subject,
      p_windows: windows,
      p_now: at.toISOString(),
    });
    return toQuotaDecision(dataOf<{ granted: boolean; windows: QuotaUsageRow[] }>('take quota', result));
  }

  async usage(userId: string, category: QuotaCategory, windows: QuotaWindow[], at: Date): Promise<QuotaWindowUsage[]> {
    const result = await this.db.rpc('conceptflow_quota_usage', { p_user_id: userId, p_category: category, p_windows: windows, p_now: at.toISOString() });
    return toQuotaUsage(dataOf<QuotaUsageRow[]>('read quota usage', result));
  }

  async refund(category: QuotaCategory, subject: string): Promise<void> {
    dataOf('refund quota', await this.db.from('quota_usage').delete().eq('category', category).eq('subject', subject));
  }
}
