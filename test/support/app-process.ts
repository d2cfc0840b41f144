/**
 * The app as a user runs it: `npm start` (src/main.ts) in a child process on loopback, with its own
 * DATA_DIR and ports. The test can kill it with SIGKILL (a crash) and start it again on the same
 * DATA_DIR; stop() ends the app and the dev server it manages (read from DATA_DIR/temporal.pid).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devServerRecord } from '../../src/temporal/dev-server.js';
import { isAlive, terminate } from '../../src/temporal/dev-server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  baseUrl: string;
  uiUrl: string;
  child: ChildProcess;
  /** SIGKILL, as a crash: nothing of the app's shutdown runs. */
  crash(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful shutdown stops the dev server too). */
  stop(): Promise<number | null>;
}

export interface AppOptions {
  dataDir: string;
  port: number;
  temporalPort: number;
  uiPort: number;
  env?: Record<string, string>;
  /** Where the app's output goes (appended). */
  logFile: string;
  readyTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startApp(options: AppOptions): Promise<AppProcess> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir,
    HOST: '127.0.0.1',
    PORT: String(options.port),
    TEMPORAL_PORT: String(options.temporalPort),
    TEMPORAL_UI_PORT: String(options.uiPort),
    // No fixed metrics port: tests run next to other processes (METRICS_PORT in env overrides).
    METRICS_PORT: '0',
    ...options.env,
  };
  delete env.TEMPORAL_ADDRESS;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} before it was ready (log: ${options.logFile})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app was not ready in time (log: ${options.logFile})`);
    }
    const ok = await fetch(`${baseUrl}/api/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    child,
    async crash() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited(child);
      clearTimeout(timer);
      return code;
    },
  };
}

/** Teardown: the dev server of a DATA_DIR, if one is still running (after a crash or a failed test). */
export async function stopDevServerOf(dataDir: string): Promise<void> {
  const record = devServerRecord(dataDir);
  if (record && isAlive(record.pid)) await terminate(record.pid);
}
