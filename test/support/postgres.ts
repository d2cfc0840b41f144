/**
 * A throwaway PostgreSQL server for tests: initdb in a temp dir, `postgres` on a free loopback
 * port (unix socket inside the temp dir), stopped and removed in teardown, and also when the test
 * process exits or is interrupted. Postgres refuses to run as root, so as root the cluster is
 * owned by and run as the `postgres` system user (Debian's package creates it), else `nobody`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { freePort } from './ports.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  psql: string;
}

export interface RunningPostgres {
  host: '127.0.0.1';
  port: number;
  /** Superuser (trust auth on loopback). */
  superuser: 'postgres';
  database: 'postgres';
  /** `postgres://{user}@127.0.0.1:{port}/postgres` */
  uri(user?: string): string;
  /** Runs SQL (one or many statements) as the superuser; rejects with psql's message on the first error. */
  exec(sql: string): Promise<void>;
  /** Runs SQL and returns psql's unaligned, tuples-only output (`|`-separated columns, one row per line). */
  query(sql: string): Promise<string>;
  stop(): Promise<void>;
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function findInDebianLayout(name: string): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const candidate = join(root, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** A binary of the same installation as `server` (Debian's PATH entries are symlinks or version wrappers). */
function besideServer(server: string, name: string): string | null {
  const candidate = join(dirname(realpathSync(server)), name);
  return existsSync(candidate) ? candidate : null;
}

/** The PostgreSQL binaries (PATH first, then /usr/lib/postgresql/<newest>/bin), or why there are none. */
export function findPostgresBinaries(): PostgresBinaries | { missing: string } {
  const missing = (name: string) => ({
    missing: `PostgreSQL binary \`${name}\` not found on PATH or under /usr/lib/postgresql/*/bin (apt-get install postgresql)`,
  });
  const initdb = findOnPath('initdb') ?? findInDebianLayout('initdb');
  if (!initdb) return missing('initdb');
  const postgres = besideServer(initdb, 'postgres') ?? findOnPath('postgres') ?? findInDebianLayout('postgres');
  if (!postgres) return missing('postgres');
  const psql = besideServer(initdb, 'psql') ?? findOnPath('psql') ?? findInDebianLayout('psql');
  if (!psql) return missing('psql');
  return { initdb, postgres, psql };
}

interface RunAs {
  uid: number;
  gid: number;
}

function idOf(user: string): RunAs | null {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Who runs the server: ourselves, or (as root) `postgres`, else `nobody`. */
function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = idOf('postgres') ?? idOf('nobody');
  if (!user) throw new Error('running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL');
  return user;
}

/** Registers a synchronous cleanup for process exit or SIGINT/SIGTERM; returns its deregistration. */
// Everything started here is torn down on exit, even when a test fails or the run is interrupted.
const cleanups = new Set<() => void>();
let exitHooked = false;
export function onProcessExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!exitHooked) {
    exitHooked = true;
    const runAll = () => {
      for (const fn of [...cleanups]) fn();
      cleanups.clear();
    };
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    }
  }
  return () => cleanups.delete(cleanup);
}

/**
 * A detached watchdog for when this process dies without running its exit handlers (SIGKILL, a
 * crash): it blocks reading a pipe from us, and on EOF — we are gone — ends `pid` (or, with
 * `group`, its whole process group: TERM, then KILL 3 s later) and removes `dir`. Returns the
 * function that dismisses it after a normal stop.
 */
export function reapIfOrphaned(pid: number, options: { dir?: string; group?: boolean } = {}): () => void {
  const target = options.group ? `-- -${pid}` : String(pid);
  const [first, grace] = options.group ? ['TERM', 3] : ['QUIT', 1];
  const script = `read _; kill -${first} ${target} 2>/dev/null; sleep ${grace}; kill -KILL ${target} 2>/dev/null;${options.dir ? ` rm -rf '${options.dir}';` : ''} exit 0`;
  const watchdog = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.unref();
  (watchdog.stdin as unknown as Socket).unref();
  watchdog.on('error', () => undefined);
  return () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
    watchdog.stdin?.destroy();
  };
}

function run(command: string, args: string[], options: { input?: string; runAs?: RunAs; cwd?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, uid: options.runAs?.uid, gid: options.runAs?.gid, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}: ${stderr.trim() || stdout.trim()}`)),
    );
    child.stdin.end(options.input ?? '');
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function waitUntilReady(check: () => Promise<unknown>, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited during start-up: ${log()}`);
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres did not become ready: ${(err as Error).message}\n${log()}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgres(binaries: PostgresBinaries): Promise<RunningPostgres> {
  const runAs = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'conceptflow-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  mkdirSync(socketDir);
  if (runAs) {
    chownSync(root, runAs.uid, runAs.gid);
    chownSync(socketDir, runAs.uid, runAs.gid);
  }
  const removeDir = () => rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  let server: ChildProcess | undefined;
  let dismissReaper = () => undefined as void;
  const unhook = onProcessExit(() => {
    if (server && server.exitCode === null) server.kill('SIGQUIT'); // immediate shutdown
    removeDir();
  });
  let shutDown = false;
  const shutdown = async () => {
    if (shutDown) return;
    shutDown = true;
    const running = server;
    if (running && running.exitCode === null && running.signalCode === null) {
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      running.kill('SIGINT'); // fast shutdown
      await exited(running);
      clearTimeout(timer);
    }
    removeDir();
    unhook();
    dismissReaper();
  };

  try {
    await run(binaries.initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { runAs, cwd: root });
    const port = await freePort();
    let log = '';
    const started = spawn(
      binaries.postgres,
      [
        '-D', dataDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${socketDir}`,
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=40',
      ],
      { cwd: root, uid: runAs?.uid, gid: runAs?.gid, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = started;
    if (started.pid !== undefined) dismissReaper = reapIfOrphaned(started.pid, { dir: root });
    started.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));

    const psql = (sql: string, tuplesOnly: boolean) =>
      run(
        binaries.psql,
        ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...(tuplesOnly ? ['-A', '-t'] : []), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', '-'],
        { input: sql },
      );
    await waitUntilReady(() => psql('select 1', true), started, () => log);

    return {
      host: '127.0.0.1',
      port,
      superuser: 'postgres',
      database: 'postgres',
      uri: (user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/postgres`,
      exec: async (sql) => {
        await psql(sql, false);
      },
      query: async (sql) => (await psql(sql, true)).trim(),
      stop: shutdown,
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}
