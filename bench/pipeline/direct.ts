/**
 * The baseline without Temporal: the same activities (createActivities with the embedded backend
 * and the local providers, wired as the worker wires them) called in-process in the workflow's
 * order and concurrency, at most MAX_CONCURRENT_ACTIVITIES at once as in one worker.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { configuredActivities } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createEmbeddedPersistence } from '../../src/persistence/embedded/index.js';
import { MAX_CONCURRENT_ACTIVITIES } from '../../src/temporal/worker.js';
import { generateThroughActivities, type ActivitySlots } from '../../test/support/generation-activities.js';
import { generationRequest, newUser } from './api-client.js';

export interface DirectRun {
  startedAt: number;
  finishedAt: number;
}

export interface DirectRunner {
  run(i: number): Promise<DirectRun>;
  close(): Promise<void>;
}

/** A counting semaphore: at most `size` pieces of work at once, the rest wait in order. */
export function activitySlots(size: number): ActivitySlots {
  let free = size;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

export async function openDirectRunner(dataDir: string, jwtSecret: string): Promise<DirectRunner> {
  // The app's configuration with the benchmark's environment (local providers, PNG variations).
  const config = loadConfig({ DATA_DIR: dataDir, IMAGE_PROVIDER: 'local', PALETTE_PROVIDER: 'local', LOG_LEVEL: 'info' });
  const persistence = await createEmbeddedPersistence({ dataDir, publicBaseUrl: 'http://127.0.0.1:9', signingSecret: 'bench-direct' });
  // The app's logger settings, written to a file as the app's stdout is.
  const logger = pino(
    { level: config.logLevel, base: { service: 'conceptflow' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: join(dataDir, 'direct.log'), sync: true, mkdir: true }),
  );
  const { activities: acts } = configuredActivities(config, persistence, logger);
  const slots = activitySlots(MAX_CONCURRENT_ACTIVITIES);
  return {
    async run(i) {
      const startedAt = Date.now();
      await generateThroughActivities(acts, persistence, { user_id: newUser(jwtSecret).id, ...generationRequest(i) }, slots);
      return { startedAt, finishedAt: Date.now() };
    },
    close: () => persistence.close(),
  };
}
