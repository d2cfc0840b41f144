/**
 * `npm run api`: the HTTP API alone, starting runs on TEMPORAL_ADDRESS. It serves at once: while
 * Temporal is unreachable `/api/ready` answers 503 and starts are refused, and the client keeps
 * connecting in the background (temporal/client-holder.ts).
 */
import { buildApi, holdTemporalClient, listenApi, openPersistence } from './bootstrap.js';
import { createApiMetrics } from './observability/metrics.js';
import { setupObservability } from './observability/setup.js';
import { runProcess } from './process.js';

await runProcess('api', async (config, logger, cleanups) => {
  const address = config.temporal.address;
  if (!address) throw new Error('npm run api needs TEMPORAL_ADDRESS (host:port of a Temporal frontend); `npm start` runs everything with a dev server.');
  const observability = await setupObservability(config, logger, 'api', { runsWorker: false });
  cleanups.unshift({ name: 'observability', run: observability.close });
  const { persistence, filesRouter } = await openPersistence(config);
  cleanups.unshift({ name: 'persistence', run: () => persistence.close() });
  const temporal = holdTemporalClient(config, address, logger, observability.tracing ? [observability.tracing.plugin] : []);
  cleanups.unshift({ name: 'temporal client', run: temporal.close });
  const metrics = createApiMetrics(observability.registry);
  const app = buildApi(config, { persistence, runs: temporal.runs, logger, filesRouter, metrics });
  const server = await listenApi(config, app, logger);
  cleanups.unshift({ name: 'api', run: server.close });
  logger.info({ api: server.url, temporal: address, metrics: observability.metricsServer?.url ?? null }, 'API listening');
});
