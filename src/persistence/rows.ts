/**
 * Database rows → the domain records, for both adapters: PostgREST answers JSON (timestamps as
 * `2024-05-01T10:00:00.123456+00:00`), PGlite answers Date objects. Records carry ISO strings.
 */
import type { ColorVariationRecord, ConceptRecord, ConceptWithVariations } from '../domain/concept.js';
import type { QuotaDecision, QuotaWindowUsage } from '../domain/quota.js';
import type { TaskRecord, TaskStatus, TaskType } from '../domain/task.js';
import type { ClaimResult, CreateTaskResult } from './ports.js';

type Timestamp = string | Date;
const iso = (value: Timestamp): string => new Date(value).toISOString();

/** Valid uuid syntax: anything else can never match a row (and would make Postgres answer 22P02). */
export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export interface TaskRow {
  id: string;
  user_id: string;
  type: TaskType;
  status: TaskStatus;
  workflow_id: string | null;
  metadata: Record<string, unknown> | null;
  result_id: string | null;
  error_message: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const toTask = (row: TaskRow): TaskRecord => ({
  id: row.id,
  user_id: row.user_id,
  type: row.type,
  status: row.status,
  workflow_id: row.workflow_id,
  metadata: row.metadata ?? {},
  result_id: row.result_id,
  error_message: row.error_message,
  idempotency_key: row.idempotency_key,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

/** What `conceptflow_task_create` answers (jsonb: the task as `to_jsonb` of its row). */
export interface CreateTaskAnswer {
  outcome: CreateTaskResult['outcome'];
  task: TaskRow;
}

export const toCreateTaskResult = (answer: CreateTaskAnswer): CreateTaskResult => ({ outcome: answer.outcome, task: toTask(answer.task) });

/** What `conceptflow_task_claim` answers. */
export interface ClaimAnswer {
  claimed: boolean;
  task: TaskRow | null;
}

export const toClaimResult = (answer: ClaimAnswer): ClaimResult =>
  answer.claimed && answer.task ? { claimed: true, task: toTask(answer.task) } : { claimed: false, task: answer.task ? toTask(answer.task) : null };

export type ConceptRow = Omit<ConceptRecord, 'created_at'> & { created_at: Timestamp };
export type VariationRow = ColorVariationRecord;

const toConcept = (row: ConceptRow): ConceptRecord => ({
  id: row.id,
  user_id: row.user_id,
  task_id: row.task_id,
  logo_description: row.logo_description,
  theme_description: row.theme_description,
  image_path: row.image_path,
  is_anonymous: row.is_anonymous,
  original_concept_id: row.original_concept_id,
  refinement_prompt: row.refinement_prompt,
  original_image_url: row.original_image_url,
  created_at: iso(row.created_at),
});

const toVariation = (row: VariationRow): ColorVariationRecord => ({
  id: row.id,
  concept_id: row.concept_id,
  palette_name: row.palette_name,
  colors: row.colors,
  description: row.description,
  image_path: row.image_path,
  position: row.position,
});

export const toConceptWithVariations = (row: ConceptRow & { color_variations: VariationRow[] | null }): ConceptWithVariations => ({
  ...toConcept(row),
  // Ordered by the query already; sorted again so the record never depends on it.
  color_variations: (row.color_variations ?? []).map(toVariation).sort((a, b) => a.position - b.position),
});

/** What `conceptflow_quota_usage` / `conceptflow_quota_take` answer (jsonb, timestamps as text). */
export interface QuotaUsageRow {
  period: QuotaWindowUsage['period'];
  limit: number;
  used: number;
  resets_at: Timestamp;
}

export const toQuotaUsage = (rows: QuotaUsageRow[] | null): QuotaWindowUsage[] =>
  (rows ?? []).map((w) => ({ period: w.period, limit: Number(w.limit), used: Number(w.used), resets_at: iso(w.resets_at) }));

export const toQuotaDecision = (row: { granted: boolean; windows: QuotaUsageRow[] | null }): QuotaDecision => ({
  granted: row.granted === true,
  windows: toQuotaUsage(row.windows),
});
