/**
 * A Temporal dev server of the benchmark's own: the real CLI (`temporal server start-dev`) on free
 * loopback ports, its SQLite file in the run's temp folder, the project's search attributes.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../../src/temporal/cli-path.js';
import { devServerDynamicConfigArgs, devServerSqliteArgs } from '../../src/temporal/dev-server-config.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes.js';
import { freePort } from '../../test/support/ports.js';
import { logTail, startProcess, type ManagedProcess } from './processes.js';

export interface BenchTemporal {
  address: string;
  namespace: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/** The CLI binary: TEMPORAL_CLI_PATH, .tools/bin/temporal (`npm run temporal:install`), or PATH. */
export function temporalCliBinary(): string {
  const found = findTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    searchPath: (process.env.PATH ?? '').split(':').filter(Boolean),
    downloadDir: '',
  });
  if (found.executable.type !== 'existing-path') {
    throw new Error('No Temporal CLI: run `npm run temporal:install` or set TEMPORAL_CLI_PATH to a `temporal` binary.');
  }
  return found.executable.path;
}

export async function startTemporal(dir: string, label: string, extraArgs: string[] = (process.env.BENCH_TEMPORAL_ARGS ?? '').split(' ').filter(Boolean)): Promise<BenchTemporal> {
  const namespace = 'default';
  const port = await freePort();
  let uiPort = await freePort();
  while (uiPort === port) uiPort = await freePort();
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--headless',
    '--db-filename', join(dir, `${label}.sqlite`),
    '--namespace', namespace,
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...devServerDynamicConfigArgs(),
    ...devServerSqliteArgs(),
    ...extraArgs,
  ];
  const server = startProcess(label, temporalCliBinary(), args, { env: process.env, logFile: join(dir, `${label}.log`) });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline && !server.hasExited()) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace }));
        return { address, namespace, process: server, stop: () => server.stop(10_000) };
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = (err as Error).message;
      await sleep(300);
    }
  }
  await server.stop();
  throw new Error(`Temporal dev server did not start (${lastError}); its log ends with:\n${logTail(server.logFile)}`);
}
