/**
 * Composition root shared by the entry points (main.ts, worker.ts, api-main.ts): config →
 * persistence, providers, activities, Temporal connections, the API app.
 */
import type { ClientPlugin } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerPlugin } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import { createApp } from './api/app.js';
import { createAuthenticator } from './api/auth.js';
import { createFilesRouter } from './api/routes/files.js';
import { listen, resolveBindHost } from './api/server.js';
import { defaultWebRoot, originOf, type WebOptions } from './api/web.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createEmbeddedPersistence } from './persistence/embedded/index.js';
import type { Persistence } from './persistence/ports.js';
import { createProviders } from './providers/index.js';
import type { ApiMetrics, RunMetrics } from './observability/metrics.js';
import { heldConceptRuns, TemporalClientHolder } from './temporal/client-holder.js';
import { ensureSearchAttributes } from './temporal/register-search-attributes.js';
import { retryUntilConnected } from './temporal/retry.js';
import type { ConceptRuns } from './temporal/runs.js';
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

export interface WorkerHandle {
  /** Settles when the worker stops: resolves on shutdown, rejects when it fails. */
  running: Promise<void>;
  stop(): Promise<void>;
}

/** The activities a worker runs, wired to the configured providers (the pipeline benchmark's direct path uses the same). */
export function configuredActivities(config: Config, persistence: Persistence, logger: Logger, runMetrics?: RunMetrics) {
  const providers = createProviders(config.providers);
  const activities = createActivities({
    persistence,
    imageProvider: providers.image,
    paletteProvider: providers.palette,
    logger,
    variationFormat: config.variationFormat,
    imageWorkConcurrency: config.imageWorkConcurrency,
    runMetrics,
  });
  return { providers, activities };
}

/**
 * Connects the worker (retrying with backoff while Temporal is unreachable, until stopped), then
 * runs it. Returns at once: the caller serves the API meanwhile.
 */
export function launchWorker(
  config: Config,
  address: string,
  persistence: Persistence,
  logger: Logger,
  options: { plugins?: WorkerPlugin[]; runMetrics?: RunMetrics } = {},
): WorkerHandle {
  const abort = new AbortController();
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  const running = (async () => {
    try {
      connection = await retryUntilConnected('Temporal worker', () => NativeConnection.connect({ address }), { logger, signal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) return;
      throw err;
    }
    const { providers, activities } = configuredActivities(config, persistence, logger, options.runMetrics);
    const created = await createConceptWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      plugins: options.plugins,
      onBundleFallback: (reason) => logger.warn({ reason }, 'could not prebundle the workflow code in a child process; bundling in-process'),
      activities,
    });
    if (abort.signal.aborted) return;
    worker = created;
    logger.info({ task_queue: config.temporal.taskQueue, image_provider: providers.image.name, palette_provider: providers.palette.name }, 'worker ready');
    await created.run();
  })();
  return {
    running,
    async stop() {
      abort.abort(new Error('worker stopping'));
      // Stop polling; in-flight activities get the shutdown grace time to finish.
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection?.close();
    },
  };
}

/**
 * The API's Temporal client, connecting in the background (client-holder.ts); search attributes
 * are registered on each connection where the server allows it.
 */
export function holdTemporalClient(config: Config, address: string, logger: Logger, plugins?: ClientPlugin[]) {
  const holder = new TemporalClientHolder({
    address,
    namespace: config.temporal.namespace,
    logger,
    plugins,
    async onConnected(connection) {
      try {
        const added = await ensureSearchAttributes(connection, config.temporal.namespace);
        if (added.length > 0) logger.info({ added }, 'registered search attributes');
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not check or register search attributes; register TaskId, UserId, TaskType, TaskStep (Keyword) on the server');
      }
    },
  });
  return { holder, runs: heldConceptRuns(holder, config.temporal.taskQueue), close: () => holder.close() };
}

export function buildApi(
  config: Config,
  deps: { persistence: Persistence; runs: ConceptRuns; logger: Logger; filesRouter?: ReturnType<typeof createFilesRouter>; metrics?: ApiMetrics },
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
    metrics: deps.metrics,
    web: webOptions(config),
  });
}

/** Listens on HOST:PORT; while no auth is configured, on loopback only (api/server.ts). */
export function listenApi(config: Config, app: ReturnType<typeof createApp>, logger: Logger) {
  return listen(app, { host: resolveBindHost(config.host, config.auth.configured, logger), port: config.port, logger });
}

/** The web page's settings: where it signs in (when the API needs tokens) and where images come from. */
export function webOptions(config: Config, root = defaultWebRoot()): WebOptions {
  const required = config.auth.configured;
  const supabaseUrl = required ? (config.webAuth.supabaseUrl ?? null) : null;
  const origins = (...urls: (string | null | undefined)[]) => urls.map((u) => originOf(u ?? undefined)).filter((o): o is string => o !== null);
  return {
    root,
    client: { auth: { required, supabase_url: supabaseUrl, supabase_anon_key: required ? (config.webAuth.anonKey ?? null) : null } },
    imageOrigins: origins(config.publicBaseUrl, config.supabase?.url),
    connectOrigins: origins(supabaseUrl),
  };
}
