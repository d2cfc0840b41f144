/**
 * The child processes the benchmark starts (Temporal dev server, the app, API and workers): each in
 * its own process group with its output in a log file, stopped with SIGTERM then SIGKILL, and all
 * of them stopped when the benchmark ends, fails or is interrupted. Peak RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { reapIfOrphaned } from '../../test/support/postgres.js';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ManagedProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // The negative pid is the process group (detached: true made the child its leader).
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exitedFlag = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve(signal ?? String(code));
    });
    child.once('error', (err) => {
      exitedFlag = true;
      resolve(`error: ${err.message}`);
    });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  // For when the benchmark itself is killed (SIGKILL, a crash) and no handler runs.
  const dismissWatchdog = reapIfOrphaned(child.pid, { group: true });
  const managed: ManagedProcess = {
    name,
    pid: child.pid,
    logFile: options.logFile,
    exited,
    hasExited: () => exitedFlag,
    async stop(graceMs = 20_000) {
      if (!exitedFlag) {
        killGroup(child, 'SIGTERM');
        const outcome = await Promise.race([exited.then(() => 'exited'), sleep(graceMs).then(() => 'timeout')]);
        if (outcome === 'timeout') {
          killGroup(child, 'SIGKILL');
          await Promise.race([exited, sleep(5_000)]);
        }
      }
      // Anything the child left in its group (e.g. a tsx loader child) goes too.
      killGroup(child, 'SIGKILL');
      dismissWatchdog();
      live.delete(managed);
    },
  };
  live.add(managed);
  return managed;
}

/** Stops every process still running, newest first. */
export async function stopAllProcesses(graceMs?: number): Promise<void> {
  for (const p of [...live].reverse()) await p.stop(graceMs).catch(() => undefined);
}

/** Synchronous last resort (process 'exit' handler): SIGKILL to every group still running. */
export function killAllProcessesNow(): void {
  for (const p of live) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident memory of a process over a window: the kernel's high-water mark (VmHWM), reset at
 * the start of the window where the kernel allows it (`5` → /proc/pid/clear_refs), and a 100 ms
 * poll of VmRSS as a cross-check (and the answer where VmHWM cannot be reset).
 */
export function watchPeakRss(pid: number): { stop(): { peakBytes: number | undefined; source: string } } {
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    hwmReset = true;
  } catch {
    // Not allowed here: the poll below is the measure.
  }
  let polled = statusField(pid, 'VmRSS') ?? 0;
  const timer = setInterval(() => {
    polled = Math.max(polled, statusField(pid, 'VmRSS') ?? 0);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      const hwm = statusField(pid, 'VmHWM');
      if (hwmReset && hwm !== undefined) return { peakBytes: Math.max(hwm, polled), source: 'VmHWM (reset at start)' };
      return { peakBytes: polled || undefined, source: 'VmRSS polled every 100 ms' };
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined if gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds each process used between start() and the returned stop(). */
export function watchCpu(pids: Record<string, number>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid) ?? 0]));
  return () =>
    Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, Math.round(((cpuSeconds(pid) ?? 0) - before[name]!) * 100) / 100]));
}
