/**
 * What a drill is and what it works with: its own folder, a seeded random source, a deadline, the
 * figures it records and the checks that decide pass or fail, and `stack()` to start its own
 * Temporal dev server and app.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiClient } from './api.js';
import { AppProcess } from './app.js';
import { freePort } from './ports.js';
import type { Profile } from './profile.js';
import type { Rng } from './rng.js';
import { DevServer, temporalCli } from './temporal-server.js';

export type Figures = Record<string, unknown>;

export interface Drill {
  id: string;
  title: string;
  /** Runs the drill; returns the one-line account of what it did (counts included). */
  run(ctx: DrillContext): Promise<string>;
}

export interface Stack {
  dataDir: string;
  temporal: DevServer;
  app: AppProcess;
  api: ApiClient;
  jwtSecret: string | undefined;
}

export interface StackOptions {
  /** Require Bearer tokens (one user per token): needed for concurrent runs. Default true. */
  auth?: boolean;
  env?: Record<string, string>;
}

export class DrillContext {
  readonly figures: Figures = {};
  readonly failures: string[] = [];
  private readonly logFile: string;

  constructor(
    readonly drill: Drill,
    readonly profile: Profile,
    readonly rng: Rng,
    readonly dir: string,
    readonly repoRoot: string,
    readonly deadline: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.logFile = join(dir, 'drill.log');
  }

  /** A line in the drill's own log (DIR/drill.log). */
  log(message: string): void {
    appendFileSync(this.logFile, `${new Date().toISOString()} ${message}\n`);
  }

  record(values: Figures): void {
    Object.assign(this.figures, values);
  }

  /** A pass/fail condition: a false one is a failure of the drill (the drill goes on to gather the rest). */
  check(ok: boolean, message: string): boolean {
    if (!ok) {
      this.failures.push(message);
      this.log(`CHECK FAILED: ${message}`);
    }
    return ok;
  }

  /** `actual === expected`, reported as `label: actual (expected …)`. */
  expectEqual(label: string, actual: unknown, expected: unknown): boolean {
    return this.check(actual === expected, `${label}: ${String(actual)} (expected ${String(expected)})`);
  }

  /** Runs `fn` and adds its duration to the `timings_ms` figure under `label`. */
  async timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      const timings = (this.figures.timings_ms ??= {}) as Record<string, number | number[]>;
      const ms = Date.now() - started;
      const previous = timings[label];
      timings[label] = previous === undefined ? ms : [...(Array.isArray(previous) ? previous : [previous]), ms];
    }
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** Starts a Temporal dev server (SQLite file in DIR) and the app on it (DATA_DIR in DIR). */
  async stack(options: StackOptions = {}): Promise<Stack> {
    const dataDir = join(this.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const temporal = new DevServer({
      cli: temporalCli(this.repoRoot),
      dbFile: join(this.dir, 'temporal.sqlite'),
      port: await freePort(),
      logFile: join(this.dir, 'temporal.log'),
    });
    await this.timed('temporal_start', () => temporal.start());
    const jwtSecret = options.auth === false ? undefined : `drill-${randomBytes(24).toString('hex')}`;
    const app = new AppProcess({
      repoRoot: this.repoRoot,
      dataDir,
      port: await freePort(),
      temporalAddress: temporal.address,
      logFile: join(this.dir, 'app.log'),
      jwtSecret,
      env: options.env,
    });
    await this.timed('app_start', () => app.start());
    this.log(`stack up: temporal ${temporal.address}, app ${app.baseUrl} (pid ${app.pid}) in ${app.startDurationsMs[0]} ms`);
    return { dataDir, temporal, app, api: new ApiClient(app.baseUrl, jwtSecret), jwtSecret };
  }
}

/** A short distinct text for run `n` of a drill (descriptions are 3–500 characters). */
export function runTexts(drill: string, n: number): { logo_description: string; theme_description: string } {
  const subjects = ['fox head', 'mountain peak', 'coffee cup', 'paper plane', 'lighthouse', 'owl', 'leaf', 'rocket', 'wave', 'key'];
  const themes = ['warm autumn', 'deep ocean', 'neon night', 'calm forest', 'desert dusk', 'arctic morning', 'retro diner'];
  return {
    logo_description: `${drill} run ${n}: a ${subjects[n % subjects.length]} emblem`,
    theme_description: themes[n % themes.length]!,
  };
}
