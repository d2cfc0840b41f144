/**
 * A Temporal dev server for one drill: the real CLI (`temporal server start-dev`), file-backed
 * SQLite in the drill's folder, loopback only, no Web UI, the app's search attributes registered.
 * It can be stopped and started again on the same database file and port (R2).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { devServerDynamicConfigArgs, devServerSqliteArgs } from '../../src/temporal/dev-server-config.js';
import { spawnManaged, tail, type ManagedProcess } from './processes.js';
import { sleep } from './ports.js';

const SEARCH_ATTRIBUTES = ['TaskId', 'UserId', 'TaskType', 'TaskStep'];
const NAMESPACE = 'default';
const READY_TIMEOUT_MS = 90_000;

/** TEMPORAL_CLI_PATH, else this checkout's .tools/bin/temporal (`npm run temporal:install`), else `temporal` on PATH. */
export function temporalCli(repoRoot: string): string {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) return configured;
  const project = join(repoRoot, '.tools', 'bin', 'temporal');
  if (existsSync(project)) return project;
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  throw new Error('No Temporal CLI: run `npm run temporal:install` or set TEMPORAL_CLI_PATH');
}

export interface DevServerOptions {
  cli: string;
  dbFile: string;
  port: number;
  logFile: string;
}

export class DevServer {
  readonly address: string;
  private process: ManagedProcess | undefined;
  /** How many times the server process was started. */
  starts = 0;

  constructor(private readonly options: DevServerOptions) {
    this.address = `127.0.0.1:${options.port}`;
  }

  get pid(): number | undefined {
    return this.process?.running() ? this.process.pid : undefined;
  }

  async start(): Promise<void> {
    if (this.process?.running()) throw new Error('dev server already running');
    const args = [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(this.options.port),
      '--headless',
      '--db-filename', resolve(this.options.dbFile),
      '--namespace', NAMESPACE,
      '--log-level', 'warn',
      ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
      ...devServerDynamicConfigArgs(),
      ...devServerSqliteArgs(),
    ];
    const started = spawnManaged('temporal dev server', this.options.cli, args, {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      logFile: this.options.logFile,
    });
    this.process = started;
    this.starts += 1;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!started.running()) throw new Error(`the Temporal dev server exited during start-up:\n${tail(this.options.logFile)}`);
      if (await this.serving()) return;
      await sleep(250);
    }
    await started.stop(5_000);
    throw new Error(`the Temporal dev server did not serve within ${READY_TIMEOUT_MS / 1000} s:\n${tail(this.options.logFile)}`);
  }

  /** Stops the server: SIGTERM (graceful, SIGKILL after 15 s) or SIGKILL at once. */
  async stop(how: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const running = this.process;
    if (!running?.running()) return;
    if (how === 'SIGKILL') await running.kill();
    else await running.stop(15_000);
  }

  /** Whether the frontend answers a namespace description within 2 s. */
  async serving(): Promise<boolean> {
    try {
      const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace: NAMESPACE }));
        return true;
      } finally {
        await connection.close();
      }
    } catch {
      return false;
    }
  }

  /** Runs `fn` with a fresh client (a new connection each time, so server restarts do not matter). */
  async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: this.address, connectTimeout: 5_000 });
    try {
      return await fn(new Client({ connection, namespace: NAMESPACE }));
    } finally {
      await connection.close();
    }
  }

  /**
   * The count of a visibility query once it equals `expected`, or the last count after `timeoutMs`:
   * visibility is written asynchronously, so a workflow that just closed may not be counted yet.
   */
  async countUntil(query: string, expected: number, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = await this.count(query);
      if (count === expected || Date.now() > deadline) return count;
      await sleep(250);
    }
  }

  /** How many workflow executions match a visibility query (all of them when empty). */
  count(query = ''): Promise<number> {
    return this.withClient(async (client) => (await client.workflow.count(query || undefined)).count);
  }
}
