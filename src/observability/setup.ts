/**
 * What each entry point (main, worker, api) sets up first: the process's metrics registry and its
 * `/metrics` server, the Temporal runtime (with Core's exporter on a private loopback port, merged
 * into `/metrics`) when the process runs a worker, and OTLP tracing when configured.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { installTemporalRuntime } from '../temporal/runtime.js';
import { createProcessRegistry, type Registry } from './metrics.js';
import { freeLoopbackPort, startMetricsServer, type MetricsServer } from './metrics-server.js';
import { startOtlpTracing, type Tracing } from './tracing.js';

export interface Observability {
  registry: Registry;
  tracing: Tracing | undefined;
  metricsServer: MetricsServer | undefined;
  /** Stops the metrics server and flushes pending spans. */
  close(): Promise<void>;
}

export async function setupObservability(config: Config, logger: Logger, processName: string, options: { runsWorker: boolean }): Promise<Observability> {
  const registry = createProcessRegistry();
  const tracing = config.tracing ? startOtlpTracing(config.tracing, processName) : undefined;
  if (tracing) logger.info({ otlp_endpoint: config.tracing!.endpoint }, 'tracing: exporting spans over OTLP');
  let sdkMetricsUrl: string | undefined;
  if (options.runsWorker) {
    const sdkPort = config.metrics ? await freeLoopbackPort() : undefined;
    installTemporalRuntime(logger, sdkPort ? { prometheusBindAddress: `127.0.0.1:${sdkPort}` } : {});
    if (sdkPort) sdkMetricsUrl = `http://127.0.0.1:${sdkPort}/metrics`;
  }
  let metricsServer: MetricsServer | undefined;
  try {
    metricsServer = config.metrics ? await startMetricsServer({ ...config.metrics, registry, sdkMetricsUrl, logger }) : undefined;
  } catch (err) {
    await tracing?.shutdown();
    throw err;
  }
  return {
    registry,
    tracing,
    metricsServer,
    async close() {
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  };
}
