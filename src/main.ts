/**
 * `npm start`: everything on one machine — a Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), the worker, and the API, on the embedded database and file store under DATA_DIR. With an
 * external TEMPORAL_ADDRESS that is down, the API serves (not ready) while the client and the
 * worker keep connecting.
 */
import { buildApi, holdTemporalClient, launchWorker, listenApi, openPersistence } from './bootstrap.js';
import { createApiMetrics, createRunMetrics } from './observability/metrics.js';
import { setupObservability } from './observability/setup.js';
import { runProcess } from './process.js';
import { startDevServer } from './temporal/dev-server.js';

await runProcess('conceptflow', async (config, logger, cleanups) => {
  const observability = await setupObservability(config, logger, 'conceptflow', { runsWorker: true });
  cleanups.unshift({ name: 'observability', run: observability.close });
  const plugins = observability.tracing ? [observability.tracing.plugin] : [];
  // The database first: its lock refuses a second process on this DATA_DIR before anything else
  // (such as the DATA_DIR's dev server) is touched.
  const { persistence, filesRouter } = await openPersistence(config);
  cleanups.unshift({ name: 'persistence', run: () => persistence.close() });
  let address = config.temporal.address;
  let uiUrl: string | undefined;
  if (!address) {
    const devServer = await startDevServer(config, logger);
    address = devServer.address;
    uiUrl = devServer.uiUrl;
    cleanups.unshift({ name: 'temporal dev server', run: devServer.stop });
  }
  const temporal = holdTemporalClient(config, address, logger, plugins);
  cleanups.unshift({ name: 'temporal client', run: temporal.close });
  const worker = launchWorker(config, address, persistence, logger, { plugins, runMetrics: createRunMetrics(observability.registry) });
  cleanups.unshift({ name: 'worker', run: worker.stop });
  const app = buildApi(config, { persistence, runs: temporal.runs, logger, filesRouter, metrics: createApiMetrics(observability.registry) });
  const server = await listenApi(config, app, logger);
  cleanups.unshift({ name: 'api', run: server.close });
  worker.running.catch((err: unknown) => {
    logger.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    process.kill(process.pid, 'SIGTERM');
  });
  logger.info(
    { api: server.url, temporal: address, temporal_ui: uiUrl, data_dir: config.dataDir, metrics: observability.metricsServer?.url ?? null },
    'Conceptflow is running',
  );
  console.log(`\nConceptflow API: ${server.url}/api   Temporal Web UI: ${uiUrl ?? '(external server)'}\n`);
});
