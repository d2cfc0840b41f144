/** The API calls the page makes for concepts and tasks. */
import { apiJson, newIdempotencyKey } from './http';
import type { ConceptPage, ConceptView, TaskView } from './types';

export interface GenerateBody {
  logo_description: string;
  theme_description: string;
  num_palettes: number;
}

export type PreserveAspect = 'colors' | 'layout' | 'style' | 'shapes';

export interface RefineBody {
  refinement_prompt: string;
  original_concept_id: string;
  preserve_aspects: PreserveAspect[];
}

const post = <T>(path: string, json: unknown, idempotencyKey = newIdempotencyKey()) =>
  apiJson<T>(path, { method: 'POST', json, headers: { 'idempotency-key': idempotencyKey } });

/** The key is kept by the caller per submission, so a retried click never starts a second run. */
export const startGeneration = (body: GenerateBody, idempotencyKey?: string) => post<TaskView>('/api/concepts/generate', body, idempotencyKey);
export const startRefinement = (body: RefineBody, idempotencyKey?: string) => post<TaskView>('/api/concepts/refine', body, idempotencyKey);
export const cancelTask = (taskId: string) => apiJson<TaskView>(`/api/tasks/${encodeURIComponent(taskId)}/cancel`, { method: 'POST' });
export const getTask = (taskId: string, signal?: AbortSignal) => apiJson<TaskView>(`/api/tasks/${encodeURIComponent(taskId)}`, { signal });
export const getConcept = (id: string, signal?: AbortSignal) => apiJson<ConceptView>(`/api/concepts/${encodeURIComponent(id)}`, { signal });

/** The first page of the user's concepts, newest first. */
export const listConcepts = (limit: number, signal?: AbortSignal) => apiJson<ConceptPage>(`/api/concepts?limit=${limit}`, { signal });

/** A further page, by the `next` link the previous one carried (only ever a path of this API). */
export function listConceptsAt(next: string, signal?: AbortSignal): Promise<ConceptPage> {
  if (!next.startsWith('/api/concepts?')) return Promise.reject(new Error(`Unexpected next-page link: ${next}`));
  return apiJson<ConceptPage>(next, { signal });
}
