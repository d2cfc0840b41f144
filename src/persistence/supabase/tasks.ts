/** TaskRepository over PostgREST: every state change is one conditional UPDATE, never read-then-write. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ConflictError, NotFoundError, StorageError, toReadableErrorMessage } from '../../domain/errors.js';
import { ACTIVE_STATUSES, type TaskRecord } from '../../domain/task.js';
import type { ClaimResult, CreateTaskResult, NewTask, TaskRepository } from '../ports.js';
import { createdSeqOf } from './paging.js';
import { fromDbError, isUniqueViolation, type DbFailure } from './errors.js';
import { isUuid, toTask, type TaskRow } from '../rows.js';

interface DbResult {
  data: unknown;
  error: DbFailure | null;
  status: number;
}

/** The rows of a PostgREST answer, or the mapped domain error. */
function rowsOf(operation: string, result: DbResult): TaskRow[] {
  if (result.error) throw fromDbError(operation, result.error, result.status);
  return (result.data as TaskRow[] | null) ?? [];
}

const MERGE_ATTEMPTS = 10;
/** Insert attempts when the conflicting row finishes between our insert and our lookup. */
const CREATE_ATTEMPTS = 3;

export class SupabaseTaskRepository implements TaskRepository {
  constructor(private readonly db: SupabaseClient) {}

  async create(task: NewTask): Promise<CreateTaskResult> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const inserted = await this.db
        .from('tasks')
        .insert({
          id: task.id,
          user_id: task.user_id,
          type: task.type,
          status: 'pending',
          workflow_id: task.workflow_id,
          metadata: task.metadata,
          idempotency_key: task.idempotency_key,
        })
        .select();
      if (!inserted.error) return { outcome: 'created', task: toTask(rowsOf('create task', inserted)[0]!) };
      if (inserted.error.code !== '23505') throw fromDbError('create task', inserted.error, inserted.status);

      // Which rule refused the row decides the answer; a replay wins over the active rule, since
      // the replayed task is usually the active one.
      const replay = task.idempotency_key === null ? null : await this.findByIdempotencyKey(task);
      if (replay) return { outcome: 'idempotent_replay', task: replay };
      const active = await this.findActive(task);
      if (active) return { outcome: 'active_conflict', task: active };
      if (isUniqueViolation(inserted.error, 'tasks_pkey')) {
        throw new ConflictError(`A task with id ${task.id} already exists`, { cause: inserted.error });
      }
      // The conflicting task finished or went away in between: try the insert again.
    }
    throw new StorageError(`create task ${task.id}: conflicting task kept changing, giving up`);
  }

  async get(id: string, userId?: string): Promise<TaskRecord | null> {
    if (!isUuid(id)) return null;
    let query = this.db.from('tasks').select('*').eq('id', id);
    if (userId !== undefined) query = query.eq('user_id', userId);
    const row = rowsOf('get task', await query)[0];
    return row ? toTask(row) : null;
  }

  async list(userId: string, options: Parameters<TaskRepository['list']>[1]): Promise<TaskRecord[]> {
    let query = this.db.from('tasks').select('*').eq('user_id', userId);
    if (options.status) query = query.eq('status', options.status);
    if (options.type) query = query.eq('type', options.type);
    if (options.before !== undefined) {
      const seq = await createdSeqOf(this.db, 'tasks', options.before, userId);
      if (seq === null) return [];
      query = query.lt('created_seq', seq);
    }
    const rows = rowsOf('list tasks', await query.order('created_seq', { ascending: false }).limit(options.limit));
    return rows.map(toTask);
  }

  async claim(id: string, workflowId: string): Promise<ClaimResult> {
    if (!isUuid(id)) return { claimed: false, task: null };
    const updated = rowsOf(
      'claim task',
      await this.db.from('tasks').update({ status: 'processing', workflow_id: workflowId }).eq('id', id).eq('status', 'pending').select(),
    );
    if (updated[0]) return { claimed: true, task: toTask(updated[0]) };
    const task = await this.get(id);
    // The same run retrying its claim gets it again; anyone else, or a finished task, does not.
    if (task && task.status === 'processing' && task.workflow_id === workflowId) return { claimed: true, task };
    return { claimed: false, task };
  }

  async mergeMetadata(id: string, patch: Record<string, unknown>): Promise<void> {
    // PostgREST cannot express `metadata || patch`, so: read, merge, and write back only if the
    // row has not changed since (updated_at moves on every update), else read again.
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const current = isUuid(id)
        ? rowsOf('read task metadata', await this.db.from('tasks').select('metadata, updated_at').eq('id', id))[0]
        : undefined;
      if (!current) throw new NotFoundError(`Task ${id} not found`);
      const written = rowsOf(
        'merge task metadata',
        await this.db
          .from('tasks')
          .update({ metadata: { ...(current.metadata ?? {}), ...patch } })
          .eq('id', id)
          .eq('updated_at', current.updated_at)
          .select('id'),
      );
      if (written.length > 0) return;
    }
    throw new StorageError(`merge metadata of task ${id}: the row kept changing, giving up`);
  }

  async complete(id: string, resultId: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const updated = rowsOf(
      'complete task',
      await this.db.from('tasks').update({ status: 'completed', result_id: resultId }).eq('id', id).eq('status', 'processing').select('id'),
    );
    if (updated.length > 0) return true;
    const task = await this.get(id);
    return task !== null && task.status === 'completed' && task.result_id === resultId;
  }

  async finish(id: string, status: 'failed' | 'canceled', errorMessage: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const updated = rowsOf(
      'finish task',
      await this.db
        .from('tasks')
        .update({ status, error_message: toReadableErrorMessage(errorMessage) })
        .eq('id', id)
        .in('status', [...ACTIVE_STATUSES])
        .select('id'),
    );
    return updated.length > 0;
  }

  async discard(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const deleted = rowsOf('discard task', await this.db.from('tasks').delete().eq('id', id).eq('status', 'pending').select('id'));
    return deleted.length > 0;
  }

  async ping(): Promise<void> {
    // No retries: readiness should answer now, not after PostgREST's backoff.
    rowsOf('ping database', await this.db.from('tasks').select('id').limit(1).retry(false));
  }

  private async findByIdempotencyKey(task: NewTask): Promise<TaskRecord | null> {
    const rows = rowsOf(
      'find task by idempotency key',
      await this.db
        .from('tasks')
        .select('*')
        .eq('user_id', task.user_id)
        .eq('type', task.type)
        .eq('idempotency_key', task.idempotency_key ?? ''),
    );
    return rows[0] ? toTask(rows[0]) : null;
  }

  private async findActive(task: NewTask): Promise<TaskRecord | null> {
    const rows = rowsOf(
      'find active task',
      await this.db.from('tasks').select('*').eq('user_id', task.user_id).eq('type', task.type).in('status', [...ACTIVE_STATUSES]),
    );
    return rows[0] ? toTask(rows[0]) : null;
  }
}
