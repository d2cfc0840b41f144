/** ConceptRepository over PostgREST; `store` is one transaction in the `store_concept` SQL function. */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ConceptWithVariations, NewConcept } from '../../domain/concept.js';
import { StorageError } from '../../domain/errors.js';
import type { ConceptRepository } from '../ports.js';
import { createdSeqOf } from './paging.js';
import { dataOf } from './errors.js';
import { isUuid, toConceptWithVariations, type ConceptRow, type VariationRow } from '../rows.js';

type ConceptWithVariationRows = ConceptRow & { color_variations: VariationRow[] | null };

const WITH_VARIATIONS = '*, color_variations(*)';

export class SupabaseConceptRepository implements ConceptRepository {
  constructor(private readonly db: SupabaseClient) {}

  async store(concept: NewConcept): Promise<ConceptWithVariations> {
    const { variations, ...row } = concept;
    const id = dataOf<string | null>(
      'store concept',
      await this.db.rpc('store_concept', {
        concept: row,
        variations: variations.map((v) => ({
          palette_name: v.name,
          colors: v.colors,
          description: v.description,
          image_path: v.image_path,
          position: v.position,
        })),
      }),
    );
    const stored = id ? await this.get(id) : null;
    if (!stored) throw new StorageError(`store concept for task ${concept.task_id}: stored concept ${String(id)} could not be read back`);
    return stored;
  }

  async get(id: string, userId?: string): Promise<ConceptWithVariations | null> {
    if (!isUuid(id)) return null;
    let query = this.db.from('concepts').select(WITH_VARIATIONS).eq('id', id);
    if (userId !== undefined) query = query.eq('user_id', userId);
    const rows = dataOf<ConceptWithVariationRows[]>('get concept', await query.order('position', { referencedTable: 'color_variations' }));
    return rows[0] ? toConceptWithVariations(rows[0]) : null;
  }

  async list(userId: string, limit: number, before?: string): Promise<ConceptWithVariations[]> {
    let query = this.db.from('concepts').select(WITH_VARIATIONS).eq('user_id', userId);
    if (before !== undefined) {
      const seq = await createdSeqOf(this.db, 'concepts', before, userId);
      if (seq === null) return [];
      query = query.lt('created_seq', seq);
    }
    const rows = dataOf<ConceptWithVariationRows[]>(
      'list concepts',
      await query
        .order('created_seq', { ascending: false })
        .order('position', { referencedTable: 'color_variations' })
        .limit(limit),
    );
    return rows.map(toConceptWithVariations);
  }

  async deleteByTask(taskId: string): Promise<void> {
    if (!isUuid(taskId)) return;
    dataOf('delete concept', await this.db.from('concepts').delete().eq('task_id', taskId));
  }
}
