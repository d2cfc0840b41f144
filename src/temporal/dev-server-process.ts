/** Process plumbing for the dev server: its pid file, liveness, its command line, stopping it, ports. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface PidFile {
  pid: number;
  port: number;
  uiPort: number;
  db: string;
  startedAt: string;
}

export function readPidFile(path: string): PidFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PidFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.port !== 'number' || typeof parsed.uiPort !== 'number') return undefined;
    return parsed as PidFile;
  } catch {
    return undefined;
  }
}

export function writePidFile(path: string, record: PidFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`);
  renameSync(tmp, path);
}

/** Removes the pid file if it still names `pid` (a newer server's file is left alone). */
export function removePidFile(path: string, pid: number): void {
  if (readPidFile(path)?.pid === pid || (existsSync(path) && readPidFile(path) === undefined)) rmSync(path, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The command line of a process (Linux /proc, else `ps`), or undefined when it cannot be read. */
export function describeProcess(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after the grace time; resolves when the process is gone. */
export async function terminate(pid: number, graceMs = 10_000): Promise<'not running' | 'SIGTERM' | 'SIGKILL'> {
  if (!isAlive(pid)) return 'not running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'SIGTERM';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  return 'SIGKILL';
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(true)));
  });
}

/** The last `lines` lines of a log file, for start-up error messages. */
export function tailOf(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
