/** `npm run worker`: the concept worker alone, against TEMPORAL_ADDRESS. */
import { connectClient, openPersistence, startWorker } from './bootstrap.js';
import { runProcess } from './process.js';
import { installTemporalRuntime } from './temporal/runtime.js';

await runProcess('worker', async (config, logger, cleanups) => {
  const address = config.temporal.address;
  if (!address) throw new Error('npm run worker needs TEMPORAL_ADDRESS (host:port of a Temporal frontend); `npm start` runs everything with a dev server.');
  installTemporalRuntime(logger);
  const { persistence } = await openPersistence(config);
  cleanups.unshift({ name: 'persistence', run: () => persistence.close() });
  // Registers the search attributes where the server allows it, before any run upserts them.
  const temporal = await connectClient(config, address, logger);
  await temporal.close();
  const worker = await startWorker(config, address, persistence, logger);
  cleanups.unshift({ name: 'worker', run: worker.stop });
  worker.running.catch((err: unknown) => {
    logger.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    process.kill(process.pid, 'SIGTERM');
  });
});
