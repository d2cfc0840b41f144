/**
 * Metrics and logs after real runs (Temporal tier): the API, a worker with the Core runtime's
 * Prometheus exporter, and /metrics serving both; the JigsawStack provider on a loopback server.
 * A completed, a failed and a canceled generation move the counters an operator's dashboard reads
 * (every metric the dashboard in ops/ queries is served), a failed
 * run logs one error line with its cause chain, every activity line names its run, and no line
 * carries the provider key.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { createApiMetrics, createProcessRegistry, createRunMetrics } from '../../src/observability/metrics.js';
import { freeLoopbackPort, startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server.js';
import { createJigsawStackImageProvider, createJigsawStackPaletteProvider } from '../../src/providers/jigsawstack/index.js';
import { installTemporalRuntime } from '../../src/temporal/runtime.js';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.js';
import { IMAGE_GENERATION, JIGSAWSTACK_TEST_KEY, startJigsawStackServer, type JigsawStackServer } from '../support/jigsawstack-server.js';
import { capturingLogger, LEVEL } from '../support/log-capture.js';
import { sampleValue, scrape, type Sample } from '../support/prometheus-text.js';
import { sendJson, stall } from '../support/provider-server.js';
import { describeTemporal, temporalTier } from '../support/temporal-env.js';

// The Core runtime is made once per process: install ours (exporter + captured logs) before the tier creates it.
const { logger, lines } = capturingLogger('info');
const sdkPort = await freeLoopbackPort();
installTemporalRuntime(logger, { prometheusBindAddress: `127.0.0.1:${sdkPort}` });
const tier = await temporalTier('metrics after runs');

const GENERATE = { logo_description: 'Harbor Lights sailing club', theme_description: 'deep navy and brass, nautical', num_palettes: 3 };

describeTemporal(tier, '/metrics after runs, and the logs of a failed run', (env) => {
  let jigsawstack: JigsawStackServer;
  let stack: E2eStack;
  let metrics: MetricsServer;
  const delta = (before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}) =>
    sampleValue(after, name, labels) - sampleValue(before, name, labels);
  /** Scrapes until `ready` holds (at most 5 s), then returns that scrape. */
  const scrapeUntil = async (ready: (samples: Sample[]) => boolean): Promise<Sample[]> => {
    let samples = await scrape(metrics.url);
    for (let i = 0; i < 50 && !ready(samples); i++) {
      await new Promise((r) => setTimeout(r, 100));
      samples = await scrape(metrics.url);
    }
    return samples;
  };

  before(async () => {
    jigsawstack = await startJigsawStackServer(3);
    const settings = { apiKey: JIGSAWSTACK_TEST_KEY, baseUrl: jigsawstack.origin, timeoutMs: 10_000 };
    const registry = createProcessRegistry();
    metrics = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, sdkMetricsUrl: `http://127.0.0.1:${sdkPort}/metrics`, logger });
    stack = await startE2eStack(env, {
      image: createJigsawStackImageProvider(settings),
      palette: createJigsawStackPaletteProvider(settings),
      metrics: createApiMetrics(registry),
      runMetrics: createRunMetrics(registry),
      logger,
    });
  });

  after(async () => {
    await stack?.stop();
    await metrics?.close();
    await jigsawstack?.stop();
    await env.teardown();
  });

  it('a completed generation moves the API, run and Temporal SDK counters', async () => {
    const before = await scrape(metrics.url);
    const started = await stack.post('/api/concepts/generate', GENERATE);
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'completed', done.error_message ?? '');
    // The row completes in the last activity; the workflow (and its SDK counter) a moment later.
    const after = await scrapeUntil((s) => delta(before, s, 'temporal_workflow_completed_total', { workflow_type: 'generateConcept' }) > 0);

    assert.equal(delta(before, after, 'conceptflow_runs_started_total', { type: 'generation' }), 1);
    assert.equal(delta(before, after, 'conceptflow_runs_finished_total', { type: 'generation', outcome: 'completed' }), 1);
    assert.equal(delta(before, after, 'conceptflow_run_duration_seconds_count', { type: 'generation', outcome: 'completed' }), 1);
    assert.ok(delta(before, after, 'conceptflow_run_duration_seconds_sum', { type: 'generation', outcome: 'completed' }) > 0);
    assert.equal(
      delta(before, after, 'conceptflow_http_request_duration_seconds_count', { method: 'POST', route: '/api/concepts/generate', status: '202' }),
      1,
    );
    // The Core exporter's page, merged in: workflow and activity counters of this worker.
    assert.equal(delta(before, after, 'temporal_workflow_completed_total', { workflow_type: 'generateConcept' }), 1);
    assert.ok(delta(before, after, 'temporal_activity_execution_latency_count', { activity_type: 'createVariation' }) >= 3);
    assert.ok(sampleValue(after, 'temporal_workflow_endtoend_latency_count', { workflow_type: 'generateConcept' }) >= 1);
  });

  it('a failed generation counts as failed and logs one error line with its cause chain, without the key', async () => {
    jigsawstack.on('POST', IMAGE_GENERATION, (_req, res) => sendJson(res, 401, { success: false, message: 'Invalid API key provided' }));
    const before = await scrape(metrics.url);
    const firstLine = lines.length;
    const started = await stack.post('/api/concepts/generate', GENERATE);
    assert.equal(started.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'failed');
    // The worker logs the workflow's lines through the runtime logger right after the task completes.
    const runLines = () => lines.slice(firstLine).filter((l) => l.task_id === done.task_id);
    for (let i = 0; i < 50 && !runLines().some((l) => l.msg === 'Run failed'); i++) await new Promise((r) => setTimeout(r, 100));
    const after = await scrapeUntil((s) => delta(before, s, 'temporal_workflow_failed_total', { workflow_type: 'generateConcept' }) > 0);

    assert.equal(delta(before, after, 'conceptflow_runs_finished_total', { type: 'generation', outcome: 'failed' }), 1);
    assert.equal(delta(before, after, 'conceptflow_runs_finished_total', { outcome: 'completed' }), 0);
    assert.equal(delta(before, after, 'temporal_workflow_failed_total', { workflow_type: 'generateConcept' }), 1);
    assert.equal(delta(before, after, 'temporal_activity_execution_failed_total', { activity_type: 'generateBaseImage' }), 1);

    const errors = runLines().filter((l) => l.level >= LEVEL.error);
    assert.equal(errors.length, 1, `one error line for the failed run, got: ${errors.map((l) => l.msg).join(' | ')}`);
    const [failure] = errors;
    assert.equal(failure!.msg, 'Run failed');
    assert.equal(failure!.workflow_id, `concept-generation-${done.task_id}`);
    assert.equal(failure!.step, 'base_image');
    const chain = failure!.cause_chain as string[];
    assert.ok(Array.isArray(chain) && chain.length >= 2, `a cause chain: ${JSON.stringify(chain)}`);
    assert.match(chain[0]!, /^ActivityFailure/);
    assert.ok(chain.some((link) => /ApplicationFailure\[ProviderAuth\w*\]/.test(link) && /401|rejected|key/i.test(link)), JSON.stringify(chain));

    const activityLines = runLines().filter((l) => l.activity !== undefined);
    assert.ok(activityLines.length >= 3, 'the run logged activity lines');
    for (const line of activityLines) {
      assert.equal(typeof line.workflow_id, 'string', JSON.stringify(line));
      assert.equal(typeof line.attempt, 'number', JSON.stringify(line));
    }
    assert.ok(
      lines.every((l) => !JSON.stringify(l).includes(JIGSAWSTACK_TEST_KEY)),
      'no log line carries the provider key',
    );
  });

  it('a canceled generation counts as canceled', async () => {
    jigsawstack.on('POST', IMAGE_GENERATION, (_req, res) => stall(res, 30_000));
    const before = await scrape(metrics.url);
    const started = await stack.post('/api/concepts/generate', GENERATE);
    assert.equal(started.status, 202);
    const calls = jigsawstack.requestsTo(IMAGE_GENERATION).length;
    for (let i = 0; i < 100 && jigsawstack.requestsTo(IMAGE_GENERATION).length === calls; i++) await new Promise((r) => setTimeout(r, 50));
    const cancel = await fetch(`${stack.baseUrl}/api/tasks/${started.body.task_id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const done = await stack.followToDone(started.body);
    assert.equal(done.status, 'canceled');
    const after = await scrapeUntil((s) => delta(before, s, 'temporal_workflow_canceled_total', { workflow_type: 'generateConcept' }) > 0);
    assert.equal(delta(before, after, 'conceptflow_runs_finished_total', { type: 'generation', outcome: 'canceled' }), 1);
    assert.equal(delta(before, after, 'conceptflow_runs_finished_total', { outcome: 'failed' }), 0);
  });

  it('serves every metric the Grafana dashboard queries', async () => {
    const dashboard = JSON.parse(readFileSync(fileURLToPath(new URL('../../ops/grafana/conceptflow-dashboard.json', import.meta.url)), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    const names = new Set(exprs.flatMap((e) => e.match(/\b(?:conceptflow|temporal)_[a-z0-9_]+/g) ?? []).map((n) => n.replace(/_(bucket|count|sum)$/, '')));
    assert.ok(names.size >= 8, [...names].join(', '));
    const page = await (await fetch(metrics.url)).text();
    const declared = new Set([...page.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const missing = [...names].filter((n) => !declared.has(n) && !declared.has(n.replace(/_total$/, '')));
    assert.deepEqual(missing, [], 'every dashboard metric is on /metrics');
  });

  it('every activity line of every run names its task, workflow, activity and attempt', () => {
    const activityLines = lines.filter((l) => l.activity !== undefined);
    assert.ok(activityLines.some((l) => l.activity === 'generatePalettes'), 'palette lines too (their input has no task id)');
    for (const line of activityLines) {
      assert.match(String(line.task_id), /^[0-9a-f-]{36}$/, JSON.stringify(line));
      assert.match(String(line.workflow_id), /^concept-generation-/, JSON.stringify(line));
      assert.equal(typeof line.attempt, 'number');
    }
  });
});
