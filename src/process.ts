/** Process lifecycle for the entry points: fatal start-up errors, and graceful shutdown on signals. */
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';

export type Cleanup = { name: string; run: () => Promise<unknown> };

/**
 * Runs `start`, then waits for SIGINT/SIGTERM and runs the cleanups it registered in order
 * (API first, then the worker drains, then connections and stores). A second signal exits at once.
 */
export async function runProcess(
  name: string,
  start: (config: Config, logger: Logger, cleanups: Cleanup[]) => Promise<void>,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel).child({ process: name });
  // `start` adds each resource's cleanup as soon as the resource exists (newest first), so a
  // failure half-way through start-up still releases what was started.
  const cleanups: Cleanup[] = [];
  let stopping = false;

  const stop = async (reason: string, code: number) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ reason }, 'shutting down');
    for (const step of cleanups) {
      const started = Date.now();
      try {
        await step.run();
        logger.info({ step: step.name, duration_ms: Date.now() - started }, 'stopped');
      } catch (err) {
        logger.error({ step: step.name, err: (err as Error).message }, 'shutdown step failed');
        code = code || 1;
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));

  try {
    await start(config, logger, cleanups);
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, `${name} could not start`);
    console.error(`\n${name} could not start: ${(err as Error).message}\n`);
    await stop('start-up failure', 1);
  }
}
