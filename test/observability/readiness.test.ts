/**
 * Started before Temporal, ready once it is up, without a restart: `npm run api` and `npm start`
 * (with TEMPORAL_ADDRESS) are started pointing at a free port where nothing listens. They serve at
 * once, answer /api/ready 503 naming Temporal, and refuse starts with a readable 503 that stores
 * nothing; the worker inside `npm start` logs and retries. Then a dev server comes up on that port
 * (the Temporal CLI): both become ready, a run started on `npm start` completes, its /metrics
 * shows the run and the Temporal SDK's counters, and its trace reaches a local OTLP receiver.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { spawnEntry, waitFor, type EntryProcess } from '../support/entry-process.js';
import { startOtlpCollector, type OtlpCollector } from '../support/otlp-collector.js';
import { freePort } from '../support/ports.js';
import { sampleValue, scrape } from '../support/prometheus-text.js';
import { describeWithTemporalCli } from '../support/temporal-env.js';

interface Ports {
  api: number;
  metrics: number;
}

describeWithTemporalCli('the API and the worker started before Temporal', (cliPath) => {
  const root = mkdtempSync(join(tmpdir(), 'cf-ready-'));
  let temporalPort: number;
  let uiPort: number;
  let apiOnly: EntryProcess;
  let everything: EntryProcess;
  const ports: { apiOnly: Ports; everything: Ports } = { apiOnly: { api: 0, metrics: 0 }, everything: { api: 0, metrics: 0 } };
  let devServer: DevServer | undefined;
  let collector: OtlpCollector;
  const url = (p: Ports, path: string) => `http://127.0.0.1:${p.api}${path}`;
  const alive = (p: EntryProcess) => () => p.child.exitCode === null;
  const generate = (p: Ports) =>
    fetch(url(p, '/api/concepts/generate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ logo_description: 'Lighthouse bakery', theme_description: 'warm sunrise', num_palettes: 2 }),
    });

  before(async () => {
    temporalPort = await freePort();
    uiPort = await freePort();
    for (const p of [ports.apiOnly, ports.everything]) {
      p.api = await freePort();
      p.metrics = await freePort();
    }
    collector = await startOtlpCollector();
    const common = { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, HOST: '127.0.0.1' };
    apiOnly = spawnEntry(
      'src/api-main.ts',
      { ...common, DATA_DIR: join(root, 'api'), PORT: String(ports.apiOnly.api), METRICS_PORT: String(ports.apiOnly.metrics) },
      join(root, 'api.log'),
    );
    everything = spawnEntry(
      'src/main.ts',
      {
        ...common,
        DATA_DIR: join(root, 'all'),
        PORT: String(ports.everything.api),
        METRICS_PORT: String(ports.everything.metrics),
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      },
      join(root, 'all.log'),
    );
  });

  after(async () => {
    await apiOnly?.stop();
    await everything?.stop();
    await devServer?.stop();
    await collector?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves while Temporal is down: /api/ready 503 naming Temporal, starts refused with nothing stored', async () => {
    for (const [name, p, proc] of [['npm run api', ports.apiOnly, apiOnly], ['npm start', ports.everything, everything]] as const) {
      await waitFor(`${name} answers /api/health`, async () => ((await fetch(url(p, '/api/health'))).ok ? true : undefined), 120_000, alive(proc));
      const ready = await fetch(url(p, '/api/ready'));
      assert.equal(ready.status, 503, name);
      assert.deepEqual(await ready.json(), { status: 'unavailable', checks: { temporal: 'failed', database: 'ok', storage: 'ok' } }, name);

      const refused = await generate(p);
      assert.equal(refused.status, 503, name);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'temporal_unavailable');
      assert.match(body.error.message, /workflow engine is unavailable/);
      const list = (await (await fetch(url(p, '/api/tasks'))).json()) as { tasks: unknown[] };
      assert.deepEqual(list.tasks, [], `${name} stored no task`);
    }
    // The worker in `npm start` keeps trying instead of exiting.
    await waitFor('the worker logs its retries', async () => (everything.logLines().some((l) => l.msg === 'Temporal worker: not reachable yet, retrying') ? true : undefined), 30_000);
    assert.equal(everything.child.exitCode, null);
  });

  it('becomes ready once Temporal is up, and a run started then completes', async () => {
    devServer = await startDevServer(
      loadConfig({ DATA_DIR: join(root, 'temporal'), TEMPORAL_PORT: String(temporalPort), TEMPORAL_UI_PORT: String(uiPort), TEMPORAL_CLI_PATH: cliPath }),
      createLogger('silent'),
    );
    for (const [name, p, proc] of [['npm run api', ports.apiOnly, apiOnly], ['npm start', ports.everything, everything]] as const) {
      await waitFor(`${name} ready`, async () => ((await fetch(url(p, '/api/ready'))).status === 200 ? true : undefined), 60_000, alive(proc));
    }
    assert.equal((await generate(ports.apiOnly)).status, 202, 'npm run api starts runs now');

    const started = await generate(ports.everything);
    assert.equal(started.status, 202);
    const { task_id } = (await started.json()) as { task_id: string };
    const done = await waitFor(
      'the run completes',
      async () => {
        const task = (await (await fetch(url(ports.everything, `/api/tasks/${task_id}`))).json()) as { status: string };
        return ['completed', 'failed', 'canceled'].includes(task.status) ? task : undefined;
      },
      120_000,
    );
    assert.equal(done.status, 'completed');

    const samples = await waitFor(
      'the workflow counter',
      async () => {
        const s = await scrape(`http://127.0.0.1:${ports.everything.metrics}/metrics`);
        return sampleValue(s, 'temporal_workflow_completed_total', { workflow_type: 'generateConcept' }) >= 1 ? s : undefined;
      },
      10_000,
    );
    assert.equal(sampleValue(samples, 'conceptflow_runs_finished_total', { type: 'generation', outcome: 'completed' }), 1);
    assert.equal(sampleValue(samples, 'conceptflow_runs_started_total', { type: 'generation' }), 1);

    // The run's trace, exported over OTLP http/protobuf (batched: give the exporter its 5 s delay).
    const trace = await waitFor(
      `the run's trace at the OTLP receiver (received: ${collector.spans.length} spans)`,
      async () => {
        const root = collector.spans.find((s) => s.name === 'POST /api/concepts/generate' && collector.spans.some((w) => w.traceId === s.traceId && w.name === 'RunActivity:completeTask'));
        return root ? collector.spans.filter((s) => s.traceId === root.traceId) : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; span names: ${[...new Set(collector.spans.map((s) => s.name))].join(', ')}`);
    });
    const names = new Set(trace.map((s) => s.name));
    for (const name of ['StartWorkflow:generateConcept', 'RunWorkflow:generateConcept', 'RunActivity:claimTask', 'RunActivity:generateBaseImage', 'RunActivity:createVariation']) {
      assert.ok(names.has(name), `${name} in the exported trace: ${[...names].join(', ')}`);
    }
    assert.ok(trace.every((s) => s.service === 'conceptflow'));
    assert.ok(collector.contentTypes.every((t) => t === 'application/x-protobuf'), collector.contentTypes.join(', '));

    const apiSamples = await scrape(`http://127.0.0.1:${ports.apiOnly.metrics}/metrics`);
    assert.equal(sampleValue(apiSamples, 'conceptflow_http_request_duration_seconds_count', { route: '/api/concepts/generate', status: '503' }), 1);
    assert.equal(sampleValue(apiSamples, 'temporal_workflow_completed_total'), 0, 'no worker, no SDK metrics in the API process');
  });
});
