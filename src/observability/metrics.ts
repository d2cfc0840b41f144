/**
 * Conceptflow's own Prometheus metrics (prom-client). One registry per process; the API and the
 * worker each add their instruments to it. The worker's Temporal SDK metrics come from the Core
 * runtime's exporter and are merged into the same `/metrics` page (metrics-server.ts).
 *
 * Names and labels (the Grafana dashboard in ops/ is built on them):
 *   conceptflow_http_request_duration_seconds{method,route,status}  histogram; route is the pattern
 *   conceptflow_http_rejections_total{route,code}                   429 answers (rate limit, quotas)
 *   conceptflow_runs_started_total{type}                            workflows the API started
 *   conceptflow_event_streams_open                                  open SSE streams
 *   conceptflow_runs_finished_total{type,outcome}                   completed | failed | canceled
 *   conceptflow_run_duration_seconds{type,outcome}                  request → terminal state
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Registry };

/** Every request's wall time; the upper buckets are for SSE streams, which stay open for a run. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Runs take seconds (local provider) to minutes (AI providers). */
const RUN_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800];

/** A process-wide registry with Node's default process metrics (CPU, memory, event loop). */
export function createProcessRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface ApiMetrics {
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  rejected(labels: { route: string; code: string }): void;
  runStarted(type: string): void;
  /** Reports the open-stream count of an app's registry at every scrape. */
  trackEventStreams(source: { readonly size: number }): void;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const requests = new Histogram({
    name: 'conceptflow_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status, with their durations',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'conceptflow_http_rejections_total',
    help: 'Requests refused with 429 (per-user rate limit or quota), by route and error code',
    labelNames: ['route', 'code'] as const,
    registers: [registry],
  });
  const started = new Counter({
    name: 'conceptflow_runs_started_total',
    help: 'Workflows started by the API, by task type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const sources: { readonly size: number }[] = [];
  new Gauge({
    name: 'conceptflow_event_streams_open',
    help: 'Server-Sent Event streams currently open',
    registers: [registry],
    collect() {
      this.set(sources.reduce((sum, s) => sum + s.size, 0));
    },
  });
  return {
    observeRequest: ({ method, route, status }, seconds) => requests.observe({ method, route, status: String(status) }, seconds),
    rejected: (labels) => rejections.inc(labels),
    runStarted: (type) => started.inc({ type }),
    trackEventStreams: (source) => void sources.push(source),
  };
}

export type RunOutcome = 'completed' | 'failed' | 'canceled';

export interface RunMetrics {
  /** A run reached a terminal state (counted once, where the task row changes). */
  runFinished(labels: { type: string; outcome: RunOutcome }, seconds: number): void;
}

export function createRunMetrics(registry: Registry): RunMetrics {
  const finished = new Counter({
    name: 'conceptflow_runs_finished_total',
    help: 'Runs that reached a terminal state, by task type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'conceptflow_run_duration_seconds',
    help: 'Run duration from the start request to its terminal state, by task type and outcome',
    labelNames: ['type', 'outcome'] as const,
    buckets: RUN_BUCKETS,
    registers: [registry],
  });
  return {
    runFinished(labels, seconds) {
      finished.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

/** Instruments that record into a throwaway registry: for callers that do not export metrics. */
export const unexportedApiMetrics = (): ApiMetrics => createApiMetrics(new Registry());
export const unexportedRunMetrics = (): RunMetrics => createRunMetrics(new Registry());
