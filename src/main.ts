/**
 * `npm start`: everything on one machine — a Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), the worker, and the API, on the embedded database and file store under DATA_DIR.
 */
import { buildApi, connectClient, openPersistence, startWorker } from './bootstrap.js';
import { listen, resolveBindHost } from './api/server.js';
import { runProcess } from './process.js';
import { startDevServer } from './temporal/dev-server.js';
import { installTemporalRuntime } from './temporal/runtime.js';

await runProcess('conceptflow', async (config, logger, cleanups) => {
  installTemporalRuntime(logger);
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
  const temporal = await connectClient(config, address, logger);
  cleanups.unshift({ name: 'temporal client', run: temporal.close });
  const worker = await startWorker(config, address, persistence, logger);
  cleanups.unshift({ name: 'worker', run: worker.stop });
  const app = buildApi(config, { persistence, runs: temporal.runs, logger, filesRouter });
  const server = await listen(app, { host: resolveBindHost(config.host, Boolean(config.auth.jwtSecret || config.auth.jwksUrl), logger), port: config.port, logger });
  cleanups.unshift({ name: 'api', run: server.close });
  worker.running.catch((err: unknown) => {
    logger.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    process.kill(process.pid, 'SIGTERM');
  });
  logger.info({ api: server.url, temporal: address, temporal_ui: uiUrl, data_dir: config.dataDir }, 'Conceptflow is running');
  console.log(`\nConceptflow API: ${server.url}/api   Temporal Web UI: ${uiUrl ?? '(external server)'}\n`);
});
