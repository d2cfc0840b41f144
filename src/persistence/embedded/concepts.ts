/** ConceptRepository on the embedded database; `store` is the same `store_concept` SQL function Supabase runs. */
import type { PGlite } from '@electric-sql/pglite';
import type { ConceptWithVariations, NewConcept } from '../../domain/concept.js';
import { StorageError } from '../../domain/errors.js';
import type { ConceptRepository } from '../ports.js';
import { isUuid, toConceptWithVariations, type ConceptRow, type VariationRow } from '../rows.js';
import { run } from './errors.js';

export class EmbeddedConceptRepository implements ConceptRepository {
  constructor(private readonly db: PGlite) {}

  async store(concept: NewConcept): Promise<ConceptWithVariations> {
    const { variations, ...row } = concept;
    const rows = variations.map((v) => ({ palette_name: v.name, colors: v.colors, description: v.description, image_path: v.image_path, position: v.position }));
    const { rows: result } = await run('store concept', () =>
      this.db.query<{ id: string | null }>('select store_concept($1::jsonb, $2::jsonb) as id', [row, rows]),
    );
    const id = result[0]?.id;
    const stored = id ? await this.get(id) : null;
    if (!stored) throw new StorageError(`store concept for task ${concept.task_id}: stored concept ${String(id)} could not be read back`);
    return stored;
  }

  async get(id: string, userId?: string): Promise<ConceptWithVariations | null> {
    if (!isUuid(id)) return null;
    const { rows } = await run('get concept', () =>
      this.db.query<ConceptRow>('select * from concepts where id = $1 and ($2::text is null or user_id = $2)', [id, userId ?? null]),
    );
    return (await this.withVariations(rows))[0] ?? null;
  }

  async list(userId: string, limit: number, before?: string): Promise<ConceptWithVariations[]> {
    const { rows } = await run('list concepts', () =>
      this.db.query<ConceptRow>(
        `select * from concepts where user_id = $1
           and ($3::uuid is null or created_seq < (select created_seq from concepts where id = $3 and user_id = $1))
         order by created_seq desc limit $2`,
        [userId, limit, before ?? null],
      ),
    );
    return this.withVariations(rows);
  }

  async deleteByTask(taskId: string): Promise<void> {
    if (!isUuid(taskId)) return;
    await run('delete concept', () => this.db.query('delete from concepts where task_id = $1', [taskId]));
  }

  /** The variations of these concepts in one query, attached in position order. */
  private async withVariations(concepts: ConceptRow[]): Promise<ConceptWithVariations[]> {
    if (concepts.length === 0) return [];
    const { rows } = await run('get variations', () =>
      this.db.query<VariationRow>('select * from color_variations where concept_id = any($1) order by position', [concepts.map((c) => c.id)]),
    );
    return concepts.map((c) => toConceptWithVariations({ ...c, color_variations: rows.filter((v) => v.concept_id === c.id) }));
  }
}
