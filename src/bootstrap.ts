/**
 * Composition root shared by the entry points (main.ts, worker.ts, api/main.ts): config →
 * persistence, providers, activities, Temporal connections, the API app.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import { createApp } from './api/app.js';
import { createAuthenticator } from './api/auth.js';
import { createFilesRouter } from './api/routes/files.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createEmbeddedPersistence } from './persistence/embedded/index.js';
import type { Persistence } from './persistence/ports.js';
import { createProviders } from './providers/index.js';
import { ensureSearchAttributes } from './temporal/register-search-attributes.js';
import { TemporalConceptRuns } from './temporal/temporal-runs.js';
import { createConceptWorker } from './temporal/worker.js';

/** The persistence backend the configuration selects; the embedded one also serves its signed object URLs. */
export async function openPersistence(config: Config): Promise<{ persistence: Persistence; filesRouter?: ReturnType<typeof createFilesRouter> }> {
  if (config.supabase) {
    const { createSupabasePersistence } = await import('./persistence/supabase/index.js');
    return { persistence: await createSupabasePersistence(config.supabase, { signedUrlTtlSeconds: config.signedUrlTtlSeconds }) };
  }
  const embedded = await createEmbeddedPersistence({
    dataDir: config.dataDir,
    publicBaseUrl: config.publicBaseUrl,
    signingSecret: config.signingSecret,
  });
  return { persistence: embedded, filesRouter: createFilesRouter(embedded.objects, embedded.signer) };
}

export async function startWorker(config: Config, address: string, persistence: Persistence, logger: Logger) {
  const connection = await NativeConnection.connect({ address });
  const providers = createProviders(config.providers);
  const worker = await createConceptWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({
      persistence,
      imageProvider: providers.image,
      paletteProvider: providers.palette,
      logger,
      variationFormat: config.variationFormat,
    }),
  });
  logger.info({ task_queue: config.temporal.taskQueue, image_provider: providers.image.name, palette_provider: providers.palette.name }, 'worker ready');
  const running = worker.run();
  return {
    running,
    async stop() {
      // Stop polling; in-flight activities get the shutdown grace time to finish.
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export async function connectClient(config: Config, address: string, logger: Logger) {
  const connection = await Connection.connect({ address });
  try {
    const added = await ensureSearchAttributes(connection, config.temporal.namespace);
    if (added.length > 0) logger.info({ added }, 'registered search attributes');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not check or register search attributes; register TaskId, UserId, TaskType, TaskStep (Keyword) on the server');
  }
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return { client, runs: new TemporalConceptRuns(client, config.temporal.taskQueue), close: () => connection.close() };
}

export function buildApi(
  config: Config,
  deps: { persistence: Persistence; runs: TemporalConceptRuns; logger: Logger; filesRouter?: ReturnType<typeof createFilesRouter> },
) {
  return createApp({
    persistence: deps.persistence,
    runs: deps.runs,
    logger: deps.logger,
    auth: createAuthenticator(config.auth),
    filesRouter: deps.filesRouter,
    signedUrlTtlSeconds: config.signedUrlTtlSeconds,
    sse: config.eventStreams,
    quotas: config.quotas,
    corsOrigins: config.corsOrigins,
  });
}
