/**
 * `npm start` as a person runs it, as a child process: its own DATA_DIR, free loopback ports for
 * the API and the Temporal dev server, the Temporal CLI the machine has. Output goes to a log file
 * (printed on failure). Stopped with SIGTERM to its process group (graceful shutdown, as Ctrl-C),
 * SIGKILL after 60 s, and its DATA_DIR's dev server is made sure of (it runs in a group of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli-path.js';
import { stopDevServerOf } from './app-process.js';
import { freePort } from './ports.js';

const REPO = resolve(import.meta.dirname, '../..');

export type TemporalSource = { env: Record<string, string>; description: string } | { skip: string };

/**
 * Where `npm start` gets Temporal here, in the order the Temporal tier uses: a CLI binary
 * (TEMPORAL_CLI_PATH, the project's .tools/bin, PATH) runs its own dev server; else TEMPORAL_ADDRESS.
 */
export function temporalSource(env: NodeJS.ProcessEnv = process.env): TemporalSource {
  const cli = findTemporalCli({ cliPath: env.TEMPORAL_CLI_PATH, searchPath: (env.PATH ?? '').split(delimiter).filter(Boolean), downloadDir: '' });
  if (cli.executable.type === 'existing-path') {
    return { env: { TEMPORAL_CLI_PATH: cli.executable.path, TEMPORAL_ADDRESS: '' }, description: `${cli.source} (${cli.executable.path})` };
  }
  if (env.TEMPORAL_ADDRESS) return { env: { TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS }, description: `TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}` };
  return { skip: 'no Temporal server: no temporal CLI (TEMPORAL_CLI_PATH, npm run temporal:install, PATH) and no TEMPORAL_ADDRESS' };
}

export interface RunningApp {
  baseUrl: string;
  logFile: string;
  /** The last lines of the app's output, for failure messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already empty
  }
}

async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function waitForReady(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/ready`, { signal: AbortSignal.timeout(3_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm start was not ready within ${timeoutMs} ms`);
}

export async function startNpmStart(temporal: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cf-web-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = join(dataDir, 'npm-start.log');
  const log = createWriteStream(logFile);
  const env = { ...process.env, ...temporal, ...extraEnv, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, TEMPORAL_PORT: String(temporalPort), TEMPORAL_UI_PORT: String(uiPort), LOG_LEVEL: 'info', METRICS_PORT: process.env.METRICS_PORT ?? '0' };
  const child = spawn('npm', ['start'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const tail = (lines = 40) => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  };
  // Like Ctrl-C in a terminal: the signal goes to the whole group (npm exits at once without
  // passing it on; the app shuts down gracefully, the dev server last). Then whatever is left.
  const stop = async () => {
    signalGroup(child.pid!, 'SIGTERM');
    if (!(await groupGone(child.pid!, 60_000))) signalGroup(child.pid!, 'SIGKILL');
    await stopDevServerOf(dataDir);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(baseUrl, child, 180_000);
  } catch (err) {
    const output = tail();
    await stop();
    throw new Error(`${(err as Error).message}\n--- npm start output ---\n${output}`, { cause: err });
  }
  return { baseUrl, logFile, tail, stop };
}
