/** ConceptRuns that counts each workflow the API starts (conceptflow_runs_started_total{type}). */
import type { ConceptRuns } from '../temporal/runs.js';
import type { ApiMetrics } from './metrics.js';

export function countRunStarts(runs: ConceptRuns, metrics: ApiMetrics): ConceptRuns {
  return {
    startGeneration: async (input) => {
      const started = await runs.startGeneration(input);
      metrics.runStarted('generation');
      return started;
    },
    startRefinement: async (input) => {
      const started = await runs.startRefinement(input);
      metrics.runStarted('refinement');
      return started;
    },
    getProgress: (workflowId) => runs.getProgress(workflowId),
    cancel: (workflowId) => runs.cancel(workflowId),
    exists: (workflowId) => runs.exists(workflowId),
    ping: () => runs.ping(),
  };
}
