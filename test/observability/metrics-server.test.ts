/**
 * The /metrics listener: our registry followed by the SDK exporter's page (here a local HTTP server
 * speaking the exposition format; the real Core exporter is scraped in temporal-metrics.test.ts),
 * still serving ours when the SDK's is down, refusing other paths, failing clearly on a taken port;
 * and the METRICS_* / OTEL_* configuration.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApiMetrics, Registry } from '../../src/observability/metrics.js';
import { startMetricsServer } from '../../src/observability/metrics-server.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';

const logger = createLogger('silent');
const SDK_PAGE = '# HELP temporal_workflow_completed_total done\n# TYPE temporal_workflow_completed_total counter\ntemporal_workflow_completed_total{namespace="default"} 4\n';

describe('metrics server', () => {
  let sdk: Server;
  let sdkUrl: string;
  const registry = new Registry();

  before(async () => {
    createApiMetrics(registry).runStarted('generation');
    sdk = createServer((req, res) => {
      if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(SDK_PAGE);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => sdk.listen(0, '127.0.0.1', resolve));
    const address = sdk.address() as { port: number };
    sdkUrl = `http://127.0.0.1:${address.port}/metrics`;
  });
  after(() => new Promise<void>((resolve) => sdk.close(() => resolve())));

  it('serves our metrics and the SDK exporter page as one valid exposition', async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, sdkMetricsUrl: sdkUrl, logger });
    try {
      const response = await fetch(server.url);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      const samples = parsePrometheusText(await response.text());
      assert.equal(sampleValue(samples, 'conceptflow_runs_started_total', { type: 'generation' }), 1);
      assert.equal(sampleValue(samples, 'temporal_workflow_completed_total'), 4);
      assert.equal((await fetch(server.url.replace('/metrics', '/other'))).status, 404);
    } finally {
      await server.close();
    }
  });

  it('still serves our metrics when the SDK exporter does not answer', async () => {
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, sdkMetricsUrl: 'http://127.0.0.1:1/metrics', logger });
    try {
      const text = await (await fetch(server.url)).text();
      assert.equal(sampleValue(parsePrometheusText(text), 'conceptflow_runs_started_total'), 1);
      assert.match(text, /# Temporal SDK metrics unavailable/);
    } finally {
      await server.close();
    }
  });

  it('names METRICS_PORT when its port is taken', async () => {
    const first = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, logger });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(startMetricsServer({ host: '127.0.0.1', port, registry, logger }), /METRICS_PORT/);
    } finally {
      await first.close();
    }
  });
});

describe('observability configuration', () => {
  it('serves metrics on loopback:9464 by default; 0 or off turns them off', () => {
    assert.deepEqual(loadConfig({}).metrics, { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(loadConfig({ METRICS_HOST: '0.0.0.0', METRICS_PORT: '9100' }).metrics, { host: '0.0.0.0', port: 9100 });
    assert.equal(loadConfig({ METRICS_PORT: '0' }).metrics, undefined);
    assert.equal(loadConfig({ METRICS_PORT: 'off' }).metrics, undefined);
    assert.throws(() => loadConfig({ METRICS_PORT: 'many' }), /METRICS_PORT/);
  });

  it('traces only when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    assert.equal(loadConfig({}).tracing, undefined);
    assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }).tracing, {
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'conceptflow',
    });
  });
});
