/** TaskRepository over PostgREST: the state changes are the `conceptflow_task_*` SQL functions (rpc, service role). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { NotFoundError, toReadableErrorMessage } from '../../domain/errors.js';
import type { TaskRecord } from '../../domain/task.js';
import type { ClaimResult, CreateTaskResult, NewTask, TaskRepository } from '../ports.js';
import { createdSeqOf } from './paging.js';
import { dataOf } from './errors.js';
import { isUuid, toClaimResult, toCreateTaskResult, toTask, type ClaimAnswer, type CreateTaskAnswer, type TaskRow } from '../rows.js';

export class SupabaseTaskRepository implements TaskRepository {
  constructor(private readonly db: SupabaseClient) {}

  async create(task: NewTask): Promise<CreateTaskResult> {
    const answer = await this.db.rpc('conceptflow_task_create', {
      p_id: task.id,
      p_user_id: task.user_id,
      p_type: task.type,
      p_workflow_id: task.workflow_id,
      p_metadata: task.metadata,
      p_idempotency_key: task.idempotency_key,
    });
    return toCreateTaskResult(dataOf<CreateTaskAnswer>('create task', answer));
  }

  async get(id: string, userId?: string): Promise<TaskRecord | null> {
    if (!isUuid(id)) return null;
    let query = this.db.from('tasks').select('*').eq('id', id);
    if (userId !== undefined) query = query.eq('user_id', userId);
    const row = (dataOf<TaskRow[] | null>('get task', await query) ?? [])[0];
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
    const rows = dataOf<TaskRow[] | null>('list tasks', await query.order('created_seq', { ascending: false }).limit(options.limit)) ?? [];
    return rows.map(toTask);
  }

  async claim(id: string, workflowId: string): Promise<ClaimResult> {
    if (!isUuid(id)) return { claimed: false, task: null };
    const answer = await this.db.rpc('conceptflow_task_claim', { p_id: id, p_workflow_id: workflowId });
    return toClaimResult(dataOf<ClaimAnswer>('claim task', answer));
  }

  async mergeMetadata(id: string, patch: Record<string, unknown>): Promise<void> {
    const merged = isUuid(id) && dataOf<boolean>('merge task metadata', await this.db.rpc('conceptflow_task_merge_metadata', { p_id: id, p_patch: patch }));
    if (!merged) throw new NotFoundError(`Task ${id} not found`);
  }

  async complete(id: string, resultId: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return dataOf<boolean>('complete task', await this.db.rpc('conceptflow_task_complete', { p_id: id, p_result_id: resultId }));
  }

  async finish(id: string, status: 'failed' | 'canceled', errorMessage: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const answer = await this.db.rpc('conceptflow_task_finish', { p_id: id, p_status: status, p_error_message: toReadableErrorMessage(errorMessage) });
    return dataOf<boolean>('finish task', answer);
  }

  async discard(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const deleted = dataOf<{ id: string }[] | null>('discard task', await this.db.from('tasks').delete().eq('id', id).eq('status', 'pending').select('id')) ?? [];
    return deleted.length > 0;
  }

  async ping(): Promise<void> {
    // No retries: readiness should answer now, not after PostgREST's backoff.
    dataOf('ping database', await this.db.from('tasks').select('id').limit(1).retry(false));
  }
}
