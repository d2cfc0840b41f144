/**
 * The embedded Temporal dev server `npm start` runs when TEMPORAL_ADDRESS is unset: the binary
 * from TEMPORAL_CLI_PATH, else `temporal` on PATH, else the SDK's download. It persists to
 * DATA_DIR, serves the Web UI on TEMPORAL_UI_PORT and registers the search attributes.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

type Executable = { type: 'existing-path'; path: string } | { type: 'cached-download'; downloadDir: string };

function findOnPath(name: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function chooseExecutable(temporal: Config['temporal'], dataDir: string): { executable: Executable; source: string } {
  if (temporal.cliPath) return { executable: { type: 'existing-path', path: temporal.cliPath }, source: 'TEMPORAL_CLI_PATH' };
  const onPath = findOnPath('temporal', temporal.searchPath);
  if (onPath) return { executable: { type: 'existing-path', path: onPath }, source: 'PATH' };
  return { executable: { type: 'cached-download', downloadDir: join(dataDir, 'temporal-cli') }, source: 'SDK download' };
}

export const NO_SERVER_HELP =
  'Set TEMPORAL_CLI_PATH to a Temporal CLI binary (`temporal`), put `temporal` on PATH, or set ' +
  'TEMPORAL_ADDRESS to a running Temporal frontend (for example `docker compose -f docker-compose.temporal.yml up -d`, ' +
  'then TEMPORAL_ADDRESS=127.0.0.1:7233).';

export async function startDevServer(config: Config, logger: Logger): Promise<DevServer> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const { executable, source } = chooseExecutable(config.temporal, dataDir);
  logger.info({ source, executable: executable.type === 'existing-path' ? executable.path : 'download' }, 'starting Temporal dev server');
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        ip: '127.0.0.1',
        namespace: config.temporal.namespace,
        dbFilename: join(dataDir, 'temporal.sqlite'),
        ui: true,
        uiPort: config.temporal.uiPort,
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      },
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not start a Temporal dev server (${source}): ${reason}\n${NO_SERVER_HELP}`, { cause: err });
  }
  const uiUrl = `http://127.0.0.1:${config.temporal.uiPort}`;
  logger.info({ address: env.address, ui: uiUrl }, 'Temporal dev server ready');
  return { address: env.address, uiUrl, stop: () => env.teardown() };
}
