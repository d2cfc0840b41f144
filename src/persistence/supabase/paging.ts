/** Keyset paging over PostgREST: the `created_seq` of a page cursor (a row id of the same user). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { isUuid } from '../rows.js';
import { fromDbError } from './errors.js';

/** The cursor row's created_seq, or null when it is not a row of this user (an empty next page). */
export async function createdSeqOf(db: SupabaseClient, table: 'tasks' | 'concepts', id: string, userId: string): Promise<number | null> {
  if (!isUuid(id)) return null;
  const result = await db.from(table).select('created_seq').eq('id', id).eq('user_id', userId).maybeSingle();
  if (result.error) throw fromDbError(`find the ${table} page cursor`, result.error, result.status);
  const seq = (result.data as { created_seq?: unknown } | null)?.created_seq;
  return typeof seq === 'number' || typeof seq === 'string' ? Number(seq) : null;
}
