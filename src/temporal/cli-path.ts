/**
 * Where the `temporal` CLI (the dev server) comes from, in order: TEMPORAL_CLI_PATH, the project's
 * own `.tools/bin/temporal` (`npm run temporal:install`), `temporal` on PATH, else the SDK's download.
 * Shared by `npm start` and the Temporal test tier so both find the same binary.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CliExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download'; downloadDir: string };
export type CliSource = 'TEMPORAL_CLI_PATH' | '.tools/bin' | 'PATH' | 'SDK download';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The project root: the nearest folder above this module holding package.json (src/ and dist/ alike). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** `.tools/bin/temporal` of this checkout, where `npm run temporal:install` puts the pinned CLI. */
export function projectCliPath(): string {
  return join(projectRoot(), '.tools', 'bin', 'temporal');
}

export function findTemporalCli(options: {
  cliPath: string | undefined;
  searchPath: string[];
  downloadDir: string;
}): { executable: CliExecutable; source: CliSource } {
  if (options.cliPath) return { executable: { type: 'existing-path', path: options.cliPath }, source: 'TEMPORAL_CLI_PATH' };
  const project = projectCliPath();
  if (isExecutable(project)) return { executable: { type: 'existing-path', path: project }, source: '.tools/bin' };
  const onPath = options.searchPath.map((dir) => join(dir, 'temporal')).find(isExecutable);
  if (onPath) return { executable: { type: 'existing-path', path: onPath }, source: 'PATH' };
  return { executable: { type: 'cached-download', downloadDir: options.downloadDir }, source: 'SDK download' };
}
