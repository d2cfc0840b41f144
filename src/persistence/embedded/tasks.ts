/** TaskRepository on the embedded database: each state change is one conditional UPDATE. */
import type { PGlite } from '@electric-sql/pglite';
import { ConflictError, NotFoundError, StorageError, toReadableErrorMessage } from '../../domain/errors.js';
import { ACTIVE_STATUSES, type TaskRecord } from '../../domain/task.js';
import type { ClaimResult, CreateTaskResult, NewTask, TaskRepository } from '../ports.js';
import { isUuid, toTask, type TaskRow } from '../rows.js';
import { fromPgError, isUniqueViolation, run } from './errors.js';

/** Insert attempts when the conflicting row finishes between our insert and our lookup. */
const CREATE_ATTEMPTS = 3;
const ACTIVE = [...ACTIVE_STATUSES];

export class EmbeddedTaskRepository implements TaskRepository {
  constructor(private readonly db: PGlite) {}

  async create(task: NewTask): Promise<CreateTaskResult> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      try {
        const { rows } = await this.db.query<TaskRow>(
          `insert into tasks (id, user_id, type, status, workflow_id, metadata, idempotency_key)
           values ($1, $2, $3, 'pending', $4, $5, $6) returning *`,
          [task.id, task.user_id, task.type, task.workflow_id, task.metadata, task.idempotency_key],
        );
        return { outcome: 'created', task: toTask(rows[0]!) };
      } catch (err) {
        if (!isUniqueViolation(err)) throw fromPgError('create task', err);
        // A replay wins over the active rule: the replayed task is usually the active one.
        const replay = task.idempotency_key === null ? null : await this.findOne('find task by idempotency key', 'user_id = $1 and type = $2 and idempotency_key = $3', [task.user_id, task.type, task.idempotency_key]);
        if (replay) return { outcome: 'idempotent_replay', task: replay };
        const active = await this.findOne('find active task', 'user_id = $1 and type = $2 and status = any($3)', [task.user_id, task.type, ACTIVE]);
        if (active) return { outcome: 'active_conflict', task: active };
        if (isUniqueViolation(err, 'tasks_pkey')) throw new ConflictError(`A task with id ${task.id} already exists`, { cause: err });
        // The conflicting task finished in between: try the insert again.
      }
    }
    throw new StorageError(`create task ${task.id}: conflicting task kept changing, giving up`);
  }

  async get(id: string, userId?: string): Promise<TaskRecord | null> {
    if (!isUuid(id)) return null;
    return userId === undefined
      ? this.findOne('get task', 'id = $1', [id])
      : this.findOne('get task', 'id = $1 and user_id = $2', [id, userId]);
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
    const claimed = await this.updateOne('claim task', `status = 'processing', workflow_id = $2`, `id = $1 and status = 'pending'`, [id, workflowId]);
    if (claimed) return { claimed: true, task: claimed };
    const task = await this.get(id);
    // The same run retrying its claim gets it again; anyone else, or a finished task, does not.
    if (task && task.status === 'processing' && task.workflow_id === workflowId) return { claimed: true, task };
    return { claimed: false, task };
  }

  async mergeMetadata(id: string, patch: Record<string, unknown>): Promise<void> {
    const updated = isUuid(id) ? await this.updateOne('merge task metadata', 'metadata = metadata || $2::jsonb', 'id = $1', [id, patch]) : null;
    if (!updated) throw new NotFoundError(`Task ${id} not found`);
  }

  async complete(id: string, resultId: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    if (await this.updateOne('complete task', `status = 'completed', result_id = $2`, `id = $1 and status = 'processing'`, [id, resultId])) return true;
    const task = await this.get(id);
    return task !== null && task.status === 'completed' && task.result_id === resultId;
  }

  async finish(id: string, status: 'failed' | 'canceled', errorMessage: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const finished = await this.updateOne('finish task', 'status = $2, error_message = $3', 'id = $1 and status = any($4)', [
      id,
      status,
      toReadableErrorMessage(errorMessage),
      ACTIVE,
    ]);
    return finished !== null;
  }

  async discard(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rows } = await run('discard task', () => this.db.query(`delete from tasks where id = $1 and status = 'pending' returning id`, [id]));
    return rows.length > 0;
  }

  async ping(): Promise<void> {
    await run('ping database', () => this.db.query('select 1'));
  }

  private async findOne(operation: string, where: string, params: unknown[]): Promise<TaskRecord | null> {
    const { rows } = await run(operation, () => this.db.query<TaskRow>(`select * from tasks where ${where} limit 1`, params));
    return rows[0] ? toTask(rows[0]) : null;
  }

  private async updateOne(operation: string, set: string, where: string, params: unknown[]): Promise<TaskRecord | null> {
    const { rows } = await run(operation, () => this.db.query<TaskRow>(`update tasks set ${set} where ${where} returning *`, params));
    return rows[0] ? toTask(rows[0]) : null;
  }
}
