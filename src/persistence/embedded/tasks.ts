/** TaskRepository on the embedded database: the state changes are the `conceptflow_task_*` SQL functions Supabase runs too. */
import type { PGlite } from '@electric-sql/pglite';
import { NotFoundError, toReadableErrorMessage } from '../../domain/errors.js';
import type { TaskRecord } from '../../domain/task.js';
import type { ClaimResult, CreateTaskResult, NewTask, TaskRepository } from '../ports.js';
import { isUuid, toClaimResult, toCreateTaskResult, toTask, type ClaimAnswer, type CreateTaskAnswer, type TaskRow } from '../rows.js';
import { run } from './errors.js';

export class EmbeddedTaskRepository implements TaskRepository {
  constructor(private readonly db: PGlite) {}

  async create(task: NewTask): Promise<CreateTaskResult> {
    const answer = await this.call<CreateTaskAnswer>('create task', 'conceptflow_task_create($1, $2, $3, $4, $5::jsonb, $6)', [
      task.id,
      task.user_id,
      task.type,
      task.workflow_id,
      task.metadata,
      task.idempotency_key,
    ]);
    return toCreateTaskResult(answer);
  }

  async get(id: string, userId?: string): Promise<TaskRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await run('get task', () =>
      this.db.query<TaskRow>('select * from tasks where id = $1 and ($2::text is null or user_id = $2)', [id, userId ?? null]),
    );
    return rows[0] ? toTask(rows[0]) : null;
  }

  async list(userId: string, options: Parameters<TaskRepository['list']>[1]): Promise<TaskRecord[]> {
    const { rows } = await run('list tasks', () =>
      this.db.query<TaskRow>(
        `select * from tasks where user_id = $1 and ($2::text is null or status = $2) and ($3::text is null or type = $3)
           and ($5::uuid is null or created_seq < (select created_seq from tasks where id = $5 and user_id = $1))
         order by created_seq desc limit $4`,
        [userId, options.status ?? null, options.type ?? null, options.limit, options.before ?? null],
      ),
    );
    return rows.map(toTask);
  }

  async claim(id: string, workflowId: string): Promise<ClaimResult> {
    if (!isUuid(id)) return { claimed: false, task: null };
    return toClaimResult(await this.call<ClaimAnswer>('claim task', 'conceptflow_task_claim($1, $2)', [id, workflowId]));
  }

  async mergeMetadata(id: string, patch: Record<string, unknown>): Promise<void> {
    const merged = isUuid(id) && (await this.call<boolean>('merge task metadata', 'conceptflow_task_merge_metadata($1, $2::jsonb)', [id, patch]));
    if (!merged) throw new NotFoundError(`Task ${id} not found`);
  }

  async complete(id: string, resultId: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.call<boolean>('complete task', 'conceptflow_task_complete($1, $2)', [id, resultId]);
  }

  async finish(id: string, status: 'failed' | 'canceled', errorMessage: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.call<boolean>('finish task', 'conceptflow_task_finish($1, $2, $3)', [id, status, toReadableErrorMessage(errorMessage)]);
  }

  async discard(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rows } = await run('discard task', () => this.db.query(`delete from tasks where id = $1 and status = 'pending' returning id`, [id]));
    return rows.length > 0;
  }

  async ping(): Promise<void> {
    await run('ping database', () => this.db.query('select 1'));
  }

  /** The answer of one task function, e.g. `conceptflow_task_claim($1, $2)`. */
  private async call<T>(operation: string, invocation: string, params: unknown[]): Promise<T> {
    const { rows } = await run(operation, () => this.db.query<{ answer: T }>(`select ${invocation} as answer`, params));
    return rows[0]!.answer;
  }
}
