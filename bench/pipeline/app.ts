/**
 * The app as the benchmark runs it: the real entry points (`src/main.ts`, `src/api-main.ts`,
 * `src/worker.ts`) as child processes under `node --import tsx`, configured only through the
 * environment, with local providers, auth by an HS256 secret, and no start limits.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/ports.js';
import { logTail, startProcess, type ManagedProcess } from './processes.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Start limits off for the benchmark (it starts hundreds of runs from distinct users on purpose):
 * every per-user quota window at 0 (= off). Any limit the app grows belongs here.
 */
export const NO_START_LIMITS: Record<string, string> = {
  QUOTA_GENERATE_PER_HOUR: '0',
  QUOTA_GENERATE_PER_MONTH: '0',
  QUOTA_REFINE_PER_HOUR: '0',
  QUOTA_REFINE_PER_MONTH: '0',
};

export interface AppSettings {
  temporalAddress: string;
  taskQueue: string;
  jwtSecret: string;
  /** Embedded backend: its DATA_DIR. */
  dataDir?: string;
  /** Supabase backend instead of the embedded one. */
  supabase?: { url: string; serviceRoleKey: string };
  logLevel?: string;
  /** Extra node flags (e.g. --cpu-prof for `--profile`). */
  nodeArgs?: string[];
}

/**
 * The environment of an app process: nothing inherited but PATH/HOME, so the run is reproducible.
 * Its Prometheus listener stays on (it is part of what the app costs) on a port of its own.
 */
function appEnv(settings: AppSettings, port: number | undefined, metricsPort: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // As the npm scripts set it (package.json; docs/performance.md, P6).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    HOST: '127.0.0.1',
    ...(port !== undefined ? { PORT: String(port) } : {}),
    METRICS_PORT: String(metricsPort),
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TASK_QUEUE: settings.taskQueue,
    IMAGE_PROVIDER: 'local',
    PALETTE_PROVIDER: 'local',
    SUPABASE_JWT_SECRET: settings.jwtSecret,
    LOG_LEVEL: settings.logLevel ?? 'info',
    ...(settings.dataDir ? { DATA_DIR: settings.dataDir } : {}),
    ...(settings.supabase ? { SUPABASE_URL: settings.supabase.url, SUPABASE_SERVICE_ROLE_KEY: settings.supabase.serviceRoleKey } : {}),
    ...NO_START_LIMITS,
  };
}

export interface RunningApi {
  baseUrl: string;
  process: ManagedProcess;
}

async function waitForHealth(baseUrl: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !child.hasExited()) {
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  const why = child.hasExited() ? `exited (${await child.exited})` : `not healthy after ${timeoutMs / 1000} s`;
  await child.stop();
  throw new Error(`${child.name} ${why}; its log ends with:\n${logTail(child.logFile)}`);
}

/** Waits until a worker has logged that it polls (it has no HTTP port). */
async function waitForLogLine(child: ManagedProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !child.hasExited()) {
    if (logTail(child.logFile, 200).includes(text)) return;
    await sleep(250);
  }
  const why = child.hasExited() ? `exited (${await child.exited})` : `not ready after ${timeoutMs / 1000} s`;
  await child.stop();
  throw new Error(`${child.name} ${why}; its log ends with:\n${logTail(child.logFile)}`);
}

const nodeArgs = (settings: AppSettings, entry: string) => [...(settings.nodeArgs ?? []), '--import', 'tsx', join(PROJECT_ROOT, entry)];

/** An app process that serves the API from `entry`, ready once /api/health answers. */
async function startServing(name: string, settings: AppSettings, logDir: string, entry: string, readyTimeoutMs: number): Promise<RunningApi> {
  const port = await freePort();
  const child = startProcess(name, process.execPath, nodeArgs(settings, entry), {
    env: appEnv(settings, port, await freePort()),
    cwd: PROJECT_ROOT,
    logFile: join(logDir, `${name}.log`),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, readyTimeoutMs);
  return { baseUrl, process: child };
}

/** `npm start` with TEMPORAL_ADDRESS set: worker + API in one process. */
export const startAllInOne = (name: string, settings: AppSettings, logDir: string) => startServing(name, settings, logDir, 'src/main.ts', 180_000);

/** `npm run api`: the API alone. */
export const startApi = (name: string, settings: AppSettings, logDir: string) => startServing(name, settings, logDir, 'src/api-main.ts', 120_000);

/** `npm run worker`: one worker process; ready once it logs `worker ready`. */
export async function startWorkerProcess(name: string, settings: AppSettings, logDir: string): Promise<ManagedProcess> {
  const child = startProcess(name, process.execPath, nodeArgs(settings, 'src/worker.ts'), {
    env: appEnv({ ...settings, logLevel: 'info' }, undefined, await freePort()),
    cwd: PROJECT_ROOT,
    logFile: join(logDir, `${name}.log`),
  });
  await waitForLogLine(child, '"worker ready"', 180_000);
  return child;
}
