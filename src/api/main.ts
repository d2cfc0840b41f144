/** `npm run api`: the HTTP API alone, starting runs on TEMPORAL_ADDRESS. */
import { buildApi, connectClient, openPersistence } from '../bootstrap.js';
import { runProcess } from '../process.js';
import { listen, resolveBindHost } from './server.js';

await runProcess('api', async (config, logger, cleanups) => {
  const address = config.temporal.address;
  if (!address) throw new Error('npm run api needs TEMPORAL_ADDRESS (host:port of a Temporal frontend); `npm start` runs everything with a dev server.');
  const { persistence, filesRouter } = await openPersistence(config);
  cleanups.unshift({ name: 'persistence', run: () => persistence.close() });
  const temporal = await connectClient(config, address, logger);
  cleanups.unshift({ name: 'temporal client', run: temporal.close });
  const app = buildApi(config, { persistence, runs: temporal.runs, logger, filesRouter });
  const server = await listen(app, { host: resolveBindHost(config.host, Boolean(config.auth.jwtSecret || config.auth.jwksUrl), logger), port: config.port, logger });
  cleanups.unshift({ name: 'api', run: server.close });
  logger.info({ api: server.url, temporal: address }, 'API listening');
});
