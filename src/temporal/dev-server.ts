/**
 * The Temporal dev server `npm start` runs when TEMPORAL_ADDRESS is unset: the real server (SQLite
 * in DATA_DIR/temporal.sqlite) on the fixed frontend port TEMPORAL_PORT, with the Web UI on
 * TEMPORAL_UI_PORT and the search attributes registered. It runs in its own process group with its
 * log in DATA_DIR/temporal.log, and its pid in DATA_DIR/temporal.pid, so that after a crash of the
 * app (SIGKILL leaves the server running) the next `npm start` adopts the live server of the same
 * DATA_DIR, or replaces a dead one: never two servers on one database file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { findTemporalCli } from './cli-path.js';
import {
  describeProcess,
  isAlive,
  portIsFree,
  readPidFile,
  removePidFile,
  tailOf,
  terminate,
  writePidFile,
  type PidFile,
} from './dev-server-process.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes.js';
import { devServerDynamicConfigArgs, devServerSqliteArgs } from './dev-server-config.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  /** True when this process adopted a server a previous (crashed) process had started. */
  adopted: boolean;
  stop(): Promise<void>;
}

export const NO_SERVER_HELP =
  'Run `npm run temporal:install` (builds the pinned Temporal CLI into .tools/bin; needs Go), set ' +
  'TEMPORAL_CLI_PATH to a Temporal CLI binary (`temporal`), put `temporal` on PATH, or set ' +
  'TEMPORAL_ADDRESS to a running Temporal frontend (for example `docker compose -f docker-compose.temporal.yml up -d`, ' +
  'then TEMPORAL_ADDRESS=127.0.0.1:7233).';

const READY_TIMEOUT_MS = 60_000;

interface Paths {
  dataDir: string;
  db: string;
  pid: string;
  log: string;
}

function pathsFor(config: Config): Paths {
  const dataDir = resolve(config.dataDir);
  return {
    dataDir,
    db: join(dataDir, 'temporal.sqlite'),
    pid: join(dataDir, 'temporal.pid'),
    log: join(dataDir, 'temporal.log'),
  };
}

/** Answers once the frontend serves gRPC (and the namespace exists), or throws after the deadline. */
async function waitUntilServing(address: string, namespace: string, deadline: number, exited: () => boolean): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline && !exited()) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace }));
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(exited() ? 'the dev server exited' : `not serving after ${READY_TIMEOUT_MS / 1000} s: ${(lastError as Error)?.message ?? ''}`);
}

function ownedServer(record: PidFile | undefined, paths: Paths): PidFile | undefined {
  if (!record || !isAlive(record.pid)) return undefined;
  const command = describeProcess(record.pid);
  // A recycled pid belongs to some other program: only a dev server on our database file counts.
  return command !== undefined && command.includes('start-dev') && command.includes(paths.db) ? record : undefined;
}

function handle(record: PidFile, paths: Paths, adopted: boolean, logger: Logger): DevServer {
  return {
    address: `127.0.0.1:${record.port}`,
    uiUrl: `http://127.0.0.1:${record.uiPort}`,
    adopted,
    async stop() {
      const how = await terminate(record.pid);
      removePidFile(paths.pid, record.pid);
      logger.info({ pid: record.pid, how }, 'Temporal dev server stopped');
    },
  };
}

export async function startDevServer(config: Config, logger: Logger): Promise<DevServer> {
  const paths = pathsFor(config);
  mkdirSync(paths.dataDir, { recursive: true });
  const namespace = config.temporal.namespace;

  const previous = readPidFile(paths.pid);
  const live = ownedServer(previous, paths);
  if (live) {
    try {
      await waitUntilServing(`127.0.0.1:${live.port}`, namespace, Date.now() + 15_000, () => !isAlive(live.pid));
      logger.info({ pid: live.pid, port: live.port, ui_port: live.uiPort }, 'adopted the running Temporal dev server of this DATA_DIR');
      return handle(live, paths, true, logger);
    } catch (err) {
      logger.warn({ pid: live.pid, err: (err as Error).message }, 'the dev server of this DATA_DIR is not answering; replacing it');
      await terminate(live.pid);
    }
  }
  if (previous) removePidFile(paths.pid, previous.pid);

  const { executable, source } = findTemporalCli({
    cliPath: config.temporal.cliPath,
    searchPath: config.temporal.searchPath,
    downloadDir: join(paths.dataDir, 'temporal-cli'),
  });
  if (executable.type === 'cached-download') return startDownloadedServer(config, paths, logger);

  const { port, uiPort } = config.temporal;
  for (const [name, p] of [['TEMPORAL_PORT', port], ['TEMPORAL_UI_PORT', uiPort]] as const) {
    if (!(await portIsFree(p))) {
      throw new Error(
        `${name} ${p} on 127.0.0.1 is in use by another program (not a dev server of DATA_DIR ${paths.dataDir}). ` +
          `Stop it, choose another ${name}, or set TEMPORAL_ADDRESS to use a server that is already running.`,
      );
    }
  }

  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', namespace,
    '--db-filename', paths.db,
    '--log-format', 'json',
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...devServerDynamicConfigArgs(),
    ...devServerSqliteArgs(),
  ];
  logger.info({ source, executable: executable.path, port, ui_port: uiPort, log: paths.log }, 'starting Temporal dev server');
  const logFd = openSync(paths.log, 'a');
  let exitCode: number | null | undefined;
  const child = spawn(executable.path, args, {
    // Its own process group: Ctrl-C reaches only the app, which stops the server last, after the
    // worker has drained.
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.on('exit', (code) => (exitCode = code));
  const spawned = await new Promise<Error | undefined>((done) => {
    child.once('spawn', () => done(undefined));
    child.once('error', done);
  });
  if (spawned) throw new Error(`Could not run the Temporal CLI ${executable.path} (${source}): ${spawned.message}\n${NO_SERVER_HELP}`);
  const record: PidFile = { pid: child.pid!, port, uiPort, db: paths.db, startedAt: new Date().toISOString() };
  writePidFile(paths.pid, record);
  child.unref();

  try {
    await waitUntilServing(`127.0.0.1:${port}`, namespace, Date.now() + READY_TIMEOUT_MS, () => exitCode !== undefined);
  } catch (err) {
    await terminate(record.pid);
    removePidFile(paths.pid, record.pid);
    throw new Error(
      `The Temporal dev server (${source}: ${executable.path}) did not start: ${(err as Error).message}. ` +
        `Its log (${paths.log}) ends with:\n${tailOf(paths.log, 12)}`,
      { cause: err },
    );
  }
  logger.info({ pid: record.pid, address: `127.0.0.1:${port}`, ui: `http://127.0.0.1:${uiPort}` }, 'Temporal dev server ready');
  return handle(record, paths, false, logger);
}

/**
 * Last resort on a machine with neither a CLI binary nor TEMPORAL_ADDRESS: the SDK downloads the
 * CLI and runs it as its own child. No adoption after a crash here; `npm run temporal:install`
 * gives the full behaviour.
 */
async function startDownloadedServer(config: Config, paths: Paths, logger: Logger): Promise<DevServer> {
  logger.warn('no Temporal CLI found (TEMPORAL_CLI_PATH, .tools/bin, PATH): trying the SDK download');
  // Only this fallback needs @temporalio/testing: the production path never loads it.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: join(paths.dataDir, 'temporal-cli') },
        ip: '127.0.0.1',
        port: config.temporal.port,
        namespace: config.temporal.namespace,
        dbFilename: paths.db,
        ui: true,
        uiPort: config.temporal.uiPort,
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      },
    });
  } catch (err) {
    throw new Error(`Could not start a Temporal dev server (SDK download): ${(err as Error).message}\n${NO_SERVER_HELP}`, { cause: err });
  }
  return { address: env.address, uiUrl: `http://127.0.0.1:${config.temporal.uiPort}`, adopted: false, stop: () => env.teardown() };
}

/** For tests and tools: the pid file of a DATA_DIR's dev server, if any. */
export function devServerRecord(dataDir: string): PidFile | undefined {
  return readPidFile(join(resolve(dataDir), 'temporal.pid'));
}
