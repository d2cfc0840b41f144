#!/usr/bin/env node
// `npm run temporal:install`: builds the pinned Temporal CLI (the real dev server: Temporal Server,
// Web UI, SQLite persistence) from the Go module proxy into .tools/bin/temporal. Idempotent: a binary
// of the pinned version already there is kept. Go is only the installer; the product is TypeScript.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CLI 1.6+ carry a replace directive in go.mod and cannot be installed with `go install`. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, '.tools', 'bin');
const target = join(binDir, 'temporal');

function installedVersion(path) {
  if (!existsSync(path)) return undefined;
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  // "temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)"
  return /temporal version (\S+)/.exec(out.stdout)?.[1];
}

const present = installedVersion(target);
if (present === TEMPORAL_CLI_VERSION) {
  console.log(`temporal:install: ${target} is already v${present}; nothing to do`);
  process.exit(0);
}

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.error || go.status !== 0) {
  console.error(
    'temporal:install: Go is not installed (the `go` command was not found).\n' +
      `  The Temporal CLI v${TEMPORAL_CLI_VERSION} is built from its Go module; install Go 1.22 or later\n` +
      '  (Debian: `apt-get install golang`), then run `npm run temporal:install` again.\n' +
      '  Alternatives: put a `temporal` binary on PATH, set TEMPORAL_CLI_PATH to one, or set\n' +
      '  TEMPORAL_ADDRESS to a running Temporal server.',
  );
  process.exit(1);
}

console.log(`temporal:install: building Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go.stdout.trim()} (a few minutes the first time)`);
mkdirSync(binDir, { recursive: true });
// Build into a staging directory, then move into place, so an interrupted build never leaves a
// half-written binary that looks installed.
const staging = join(binDir, '.staging');
mkdirSync(staging, { recursive: true });
const started = Date.now();
// Stamp the version as release builds do (a plain `go install` reports 0.0.0-DEV).
const ldflags = `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
const build = spawnSync('go', ['install', '-ldflags', ldflags, `${MODULE}@v${TEMPORAL_CLI_VERSION}`], {
  stdio: 'inherit',
  env: { ...process.env, GOTOOLCHAIN: 'local', GOBIN: staging },
});
if (build.status !== 0) {
  console.error(`temporal:install: \`go install ${MODULE}@v${TEMPORAL_CLI_VERSION}\` failed (exit ${build.status ?? build.signal})`);
  process.exit(1);
}
renameSync(join(staging, 'temporal'), target);
rmSync(staging, { recursive: true, force: true });
const version = installedVersion(target);
if (version !== TEMPORAL_CLI_VERSION) {
  console.error(`temporal:install: the built binary reports version ${version ?? '(none)'}, expected ${TEMPORAL_CLI_VERSION}`);
  process.exit(1);
}
console.log(`temporal:install: installed ${target} (v${version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
