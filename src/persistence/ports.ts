/**
 * Persistence ports. Two adapters implement them — embedded (PGlite + files) and Supabase
 * (supabase-js) — and one contract suite (test/persistence/contract.ts) pins their behaviour.
 */
import type { Bucket, ConceptWithVariations, NewConcept, ObjectRef } from '../domain/concept.js';
import type { QuotaCategory, QuotaDecision, QuotaWindow, QuotaWindowUsage } from '../domain/quota.js';
import type { TaskRecord, TaskStatus, TaskType } from '../domain/task.js';

export interface NewTask {
  id: string;
  user_id: string;
  type: TaskType;
  workflow_id: string;
  metadata: Record<string, unknown>;
  /** Client-supplied Idempotency-Key (or null); unique per (user_id, type). */
  idempotency_key: string | null;
}

export type CreateTaskResult =
  | { outcome: 'created'; task: TaskRecord }
  /** The user already has a pending/processing task of this type (enforced by a unique index). */
  | { outcome: 'active_conflict'; task: TaskRecord }
  /** A task with the same idempotency key exists for this user and type. */
  | { outcome: 'idempotent_replay'; task: TaskRecord };

export type ClaimResult =
  | { claimed: true; task: TaskRecord }
  | { claimed: false; task: TaskRecord | null };

export interface TaskRepository {
  /** Inserts a `pending` task atomically against the one-active-per-user-and-type rule. */
  create(task: NewTask): Promise<CreateTaskResult>;
  /** A task by id; with `userId`, null unless it belongs to that user. */
  get(id: string, userId?: string): Promise<TaskRecord | null>;
  /**
   * The user's tasks, newest first; with `before` (a task id of this user) only those created
   * before it — the next page. An id that is not one of the user's tasks gives an empty page.
   */
  list(userId: string, options: { status?: TaskStatus; type?: TaskType; limit: number; before?: string }): Promise<TaskRecord[]>;
  /**
   * pending → processing for this workflow id. Idempotent: a task already `processing` with the
   * same workflow_id is claimed again. Terminal tasks are never reopened (claimed: false).
   */
  claim(id: string, workflowId: string): Promise<ClaimResult>;
  /** Merges keys into metadata (e.g. progress notes, applied refinement operations). */
  mergeMetadata(id: string, patch: Record<string, unknown>): Promise<void>;
  /** processing → completed with result_id. Idempotent for the same result; false when not processing. */
  complete(id: string, resultId: string): Promise<boolean>;
  /** pending|processing → failed|canceled with a message. No-op (false) when already terminal. */
  finish(id: string, status: 'failed' | 'canceled', errorMessage: string): Promise<boolean>;
  /**
   * Deletes a task that was never started (still `pending`), e.g. one refused by a quota after its
   * insert. False (and nothing deleted) once it has moved on.
   */
  discard(id: string): Promise<boolean>;
  ping(): Promise<void>;
}

export interface ConceptRepository {
  /**
   * Writes the concept and its variations atomically. Idempotent per task_id: a second call for
   * the same task returns the concept already stored and writes nothing.
   */
  store(concept: NewConcept): Promise<ConceptWithVariations>;
  get(id: string, userId?: string): Promise<ConceptWithVariations | null>;
  /** The user's concepts with variations, newest first; with `before` (a concept id), the page after it (as for tasks). */
  list(userId: string, limit: number, before?: string): Promise<ConceptWithVariations[]>;
  /** Compensation: removes the concept of a task (variations cascade). Missing is fine. */
  deleteByTask(taskId: string): Promise<void>;
}

/** Usage quotas (src/domain/quota.ts); both adapters call the same SQL functions. */
export interface QuotaRepository {
  /**
   * Counts one use of `subject` by the user unless one of `windows` is full, atomically. Taking a
   * subject already counted grants without counting it again.
   */
  take(userId: string, category: QuotaCategory, subject: string, windows: QuotaWindow[], at: Date): Promise<QuotaDecision>;
  /** The uses counted in each window at `at`. */
  usage(userId: string, category: QuotaCategory, windows: QuotaWindow[], at: Date): Promise<QuotaWindowUsage[]>;
  /** Removes the use counted for `subject` (its start failed). Missing is fine. */
  refund(category: QuotaCategory, subject: string): Promise<void>;
}

export interface StoredObject {
  bytes: Buffer;
  contentType: string;
}

export interface ObjectStore {
  /** Writes (or overwrites: retries re-put the same deterministic path) an object. */
  put(ref: ObjectRef, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Reads an object; throws NotFoundError when it does not exist. */
  get(ref: ObjectRef): Promise<StoredObject>;
  exists(ref: ObjectRef): Promise<boolean>;
  /** Object paths under a prefix (e.g. `{user}/{task}/`), for compensation. */
  list(bucket: Bucket, prefix: string): Promise<string[]>;
  /**
   * Renames an object within its bucket, replacing the destination if it exists, without moving
   * its bytes through this process. Throws NotFoundError when the source does not exist.
   */
  move(bucket: Bucket, fromPath: string, toPath: string): Promise<void>;
  /** Deletes objects; missing ones are ignored. */
  remove(bucket: Bucket, paths: string[]): Promise<void>;
  /** A URL a client can GET for `expiresInSeconds`. */
  signedUrl(ref: ObjectRef, expiresInSeconds: number): Promise<string>;
  /**
   * Resolves a URL previously handed out by `signedUrl` (or a public/plain object URL of this
   * store) to its ref, without any network request; null when it is not one of ours.
   */
  resolveUrl(url: string): ObjectRef | null;
  ping(): Promise<void>;
}

export interface Persistence {
  tasks: TaskRepository;
  concepts: ConceptRepository;
  quotas: QuotaRepository;
  objects: ObjectStore;
  close(): Promise<void>;
}
