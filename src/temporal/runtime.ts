/**
 * Routes the Temporal SDK's own logs into our JSON logger, optionally serves the SDK's metrics
 * (Core's Prometheus exporter) on a loopback address, and leaves signal handling to us.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger.js';

const LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

export interface TemporalRuntimeOptions {
  /** `host:port` for the Core runtime's Prometheus exporter (served at `/metrics`); off when unset. */
  prometheusBindAddress?: string;
}

export function installTemporalRuntime(logger: Logger, options: TemporalRuntimeOptions = {}): void {
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(LEVELS[logger.level] ?? 'INFO', (entry) => {
      const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      sdkLogger[level](entry.meta ?? {}, entry.message);
    }),
    ...(options.prometheusBindAddress
      ? {
          telemetryOptions: {
            // Prometheus conventions: counters end in _total, durations in seconds.
            metrics: { prometheus: { bindAddress: options.prometheusBindAddress, countersTotalSuffix: true, useSecondsForDurations: true } },
          },
        }
      : {}),
    // main.ts / worker.ts drain the API first, then the worker; no SDK-installed handlers.
    shutdownSignals: [],
  });
}
