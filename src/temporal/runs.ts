/**
 * What the API needs from Temporal, as a small interface: the real implementation wraps a
 * Temporal Client (src/temporal/temporal-runs.ts); API tests use a faithful in-memory fake.
 */
import type { GenerateConceptInput, RefineConceptInput } from '../domain/inputs.js';
import type { Progress } from '../domain/task.js';

export interface ConceptRuns {
  /** Starts `generateConcept` with id `concept-generation-{task_id}`. Starting an id that is already running is not an error. */
  startGeneration(input: GenerateConceptInput): Promise<{ workflowId: string }>;
  /** Starts `refineConcept` with id `concept-refinement-{task_id}`. Same idempotency. */
  startRefinement(input: RefineConceptInput): Promise<{ workflowId: string }>;
  /** Live progress via the `getProgress` query; null when no such workflow exists. */
  getProgress(workflowId: string): Promise<Progress | null>;
  /** Requests cancellation; the workflow marks the task canceled and cleans up. False when no such workflow is running. */
  cancel(workflowId: string): Promise<boolean>;
  /** Whether a workflow with this id exists (running or closed). */
  exists(workflowId: string): Promise<boolean>;
  /** Throws when Temporal is unreachable (readiness). */
  ping(): Promise<void>;
}
