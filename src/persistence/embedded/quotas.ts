/** QuotaRepository on the embedded database: the same SQL functions the Supabase adapter calls. */
import type { PGlite } from '@electric-sql/pglite';
import type { QuotaCategory, QuotaDecision, QuotaWindow, QuotaWindowUsage } from '../../domain/quota.js';
import type { QuotaRepository } from '../ports.js';
import { toQuotaDecision, toQuotaUsage, type QuotaUsageRow } from '../rows.js';
import { run } from './errors.js';

export class EmbeddedQuotaRepository implements QuotaRepository {
  constructor(private readonly db: PGlite) {}

  async take(userId: string, category: QuotaCategory, subject: string, windows: QuotaWindow[], at: Date): Promise<QuotaDecision> {
    const { rows } = await run('take quota', () =>
      this.db.query<{ result: { granted: boolean; windows: QuotaUsageRow[] } }>(
        'select conceptflow_quota_take($1, $2, $3, $4::jsonb, $5::timestamptz) as result',
        [userId, category, subject, JSON.stringify(windows), at.toISOString()],
      ),
    );
    return toQuotaDecision(rows[0]!.result);
  }

  async usage(userId: string, category: QuotaCategory, windows: QuotaWindow[], at: Date): Promise<QuotaWindowUsage[]> {
    const { rows } = await run('read quota usage', () =>
      this.db.query<{ result: QuotaUsageRow[] }>('select conceptflow_quota_usage($1, $2, $3::jsonb, $4::timestamptz) as result', [
        userId,
        category,
        JSON.stringify(windows),
        at.toISOString(),
      ]),
    );
    return toQuotaUsage(rows[0]!.result);
  }

  async refund(category: QuotaCategory, subject: string): Promise<void> {
    await run('refund quota', () => this.db.query('delete from quota_usage where category = $1 and subject = $2', [category, subject]));
  }
}
