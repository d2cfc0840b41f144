/**
 * Child processes of the drills: each in its own process group (signals reach it and anything it
 * spawned), output appended to a log file, registered for cleanup until it has exited.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { onCleanup } from './cleanup.js';
import { sleep } from './ports.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  exited: Promise<Exit>;
  running(): boolean;
  /** Sends `signal` to the process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the group; resolves once it has exited. */
  kill(): Promise<Exit>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<Exit>;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  logFile: string;
}

export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', () => {
      exit ??= { code: -1, signal: null };
      resolve(exit);
    });
  });
  const pid = child.pid ?? -1;
  const toGroup = (signal: NodeJS.Signals) => {
    if (exit || pid <= 0) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const unregister = onCleanup({
    name: `${name} (pid ${pid})`,
    run: async () => {
      await managed.stop(10_000);
    },
    runSync: () => toGroup('SIGKILL'),
  });
  void exited.then(unregister);

  const waitExit = async (ms: number): Promise<Exit | undefined> =>
    Promise.race([exited, sleep(ms).then(() => undefined)]);

  const managed: ManagedProcess = {
    name,
    pid,
    logFile: options.logFile,
    exited,
    running: () => exit === undefined,
    signal: toGroup,
    async kill() {
      toGroup('SIGKILL');
      return exited;
    },
    async stop(graceMs) {
      if (exit) return exit;
      toGroup('SIGTERM');
      const done = await waitExit(graceMs);
      if (done) return done;
      toGroup('SIGKILL');
      return exited;
    },
  };
  return managed;
}

/** The last lines of a log file (for failure messages). */
export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
