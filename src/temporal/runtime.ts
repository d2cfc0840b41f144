/** Routes the Temporal SDK's own logs into our JSON logger, and leaves signal handling to us. */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger.js';

const LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

export function installTemporalRuntime(logger: Logger): void {
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(LEVELS[logger.level] ?? 'INFO', (entry) => {
      const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      sdkLogger[level](entry.meta ?? {}, entry.message);
    }),
    // main.ts / worker.ts drain the API first, then the worker; no SDK-installed handlers.
    shutdownSignals: [],
  });
}
