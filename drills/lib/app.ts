/**
 * The app under drill as a child process: `node --import tsx src/main.ts` (what `npm start` runs
 * after its prestart step, which drills/main.ts runs once) with TEMPORAL_ADDRESS pointing at the
 * drill's dev server, the embedded backend in the drill's
 * DATA_DIR, the API on a loopback port. Its environment is built from scratch, so nothing from the
 * caller's shell (a SUPABASE_URL, say) changes what is drilled.
 */
import { spawnManaged, tail, type Exit, type ManagedProcess } from './processes.js';
import { sleep } from './ports.js';

const READY_TIMEOUT_MS = 180_000;

export interface AppOptions {
  repoRoot: string;
  dataDir: string;
  port: number;
  temporalAddress: string;
  logFile: string;
  /** Set → the API requires HS256 Bearer tokens signed with it (and one user per token). */
  jwtSecret?: string;
  /** Anything else the drill configures (providers, timeouts). */
  env?: Record<string, string>;
}

export class AppProcess {
  readonly baseUrl: string;
  private process: ManagedProcess | undefined;
  /** Start-up durations (spawn → /api/ready 200), one per start. */
  readonly startDurationsMs: number[] = [];
  kills = 0;

  constructor(private readonly options: AppOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
  }

  get pid(): number | undefined {
    return this.process?.running() ? this.process.pid : undefined;
  }

  running(): boolean {
    return this.process?.running() ?? false;
  }

  get starts(): number {
    return this.startDurationsMs.length;
  }

  env(): Record<string, string> {
    const { options } = this;
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      // As `npm start` sets it (package.json).
      MALLOC_ARENA_MAX: '2',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE: 'concepts',
      // No /metrics listener: a restarted app must never wait for the old one's fixed port.
      METRICS_PORT: '0',
      IMAGE_PROVIDER: 'local',
      PALETTE_PROVIDER: 'local',
      // Start and export quotas off (0): they are not what the drills drill.
      QUOTA_GENERATE_PER_HOUR: '0',
      QUOTA_GENERATE_PER_MONTH: '0',
      QUOTA_REFINE_PER_HOUR: '0',
      QUOTA_REFINE_PER_MONTH: '0',
      QUOTA_EXPORT_PER_HOUR: '0',
      QUOTA_EXPORT_PER_MONTH: '0',
      LOG_LEVEL: 'info',
      ...(options.jwtSecret ? { SUPABASE_JWT_SECRET: options.jwtSecret } : {}),
      ...options.env,
    };
  }

  /** Starts the app and waits until /api/ready answers 200. */
  async start(): Promise<void> {
    if (this.process?.running()) throw new Error('app already running');
    const started = Date.now();
    const child = spawnManaged('app', process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: this.options.repoRoot,
      env: this.env(),
      logFile: this.options.logFile,
    });
    this.process = child;
    const deadline = started + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!child.running()) throw new Error(`the app exited during start-up:\n${tail(this.options.logFile)}`);
      if (await this.ready()) {
        this.startDurationsMs.push(Date.now() - started);
        return;
      }
      await sleep(250);
    }
    await child.kill();
    throw new Error(`the app was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${tail(this.options.logFile)}`);
  }

  /** /api/ready answered 200 within 3 s. */
  async ready(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/api/ready`, { signal: AbortSignal.timeout(3_000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** SIGKILL: the crash the app must survive. */
  async kill(): Promise<Exit | undefined> {
    if (!this.process?.running()) return undefined;
    this.kills += 1;
    return this.process.kill();
  }

  /** Graceful stop (SIGTERM; SIGKILL after 60 s: the worker drains in-flight activities for up to 30 s). */
  async stop(): Promise<Exit | undefined> {
    if (!this.process?.running()) return undefined;
    return this.process.stop(60_000);
  }

  logTail(lines = 15): string {
    return tail(this.options.logFile, lines);
  }
}
