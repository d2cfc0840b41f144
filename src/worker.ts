/**
 * `npm run worker`: the concept worker alone, against TEMPORAL_ADDRESS. While Temporal is
 * unreachable it logs and retries with backoff instead of exiting.
 */
import { holdTemporalClient, launchWorker, openPersistence } from './bootstrap.js';
import { createRunMetrics } from './observability/metrics.js';
import { setupObservability } from './observability/setup.js';
import { runProcess } from './process.js';

await runProcess('worker', async (config, logger, cleanups) => {
  const address = config.temporal.address;
  if (!address) throw new Error('npm run worker needs TEMPORAL_ADDRESS (host:port of a Temporal frontend); `npm start` runs everything with a dev server.');
  const observability = await setupObservability(config, logger, 'worker', { runsWorker: true });
  cleanups.unshift({ name: 'observability', run: observability.close });
  const { persistence } = await openPersistence(config);
  cleanups.unshift({ name: 'persistence', run: () => persistence.close() });
  // Registers the search attributes where the server allows it, as soon as it answers.
  const registration = holdTemporalClient(config, address, logger);
  cleanups.unshift({ name: 'search attribute registration', run: registration.close });
  void registration.holder.connected.then(registration.close, () => undefined);
  const worker = launchWorker(config, address, persistence, logger, {
    plugins: observability.tracing ? [observability.tracing.plugin] : [],
    runMetrics: createRunMetrics(observability.registry),
  });
  cleanups.unshift({ name: 'worker', run: worker.stop });
  worker.running.catch((err: unknown) => {
    logger.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    process.kill(process.pid, 'SIGTERM');
  });
});
