/**
 * P2 (sequential latency) and P3 (throughput at a fixed concurrency): generations through the app
 * and Temporal against the same activities called directly, interleaved so machine noise hits both.
 */
import { assertAllCompleted, type BenchClient, type Finished } from './api-client.js';
import type { DirectRunner } from './direct.js';
import { watchCpu, watchPeakRss } from './processes.js';

/** The processes whose CPU the Temporal path uses: the app and the Temporal server. */
export type Pids = { app: number; temporal: number };

/** CPU seconds one way spent, per process. */
export type CpuUse = Record<string, number>;

const addCpu = (total: CpuUse, part: CpuUse) => {
  for (const [k, v] of Object.entries(part)) total[k] = Math.round(((total[k] ?? 0) + v) * 100) / 100;
};

/** CPU seconds this process used while `work` ran (the direct runs happen in it). */
async function selfCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpu: { bench: Math.round((used.user + used.system) / 1e4) / 100 } };
}

export interface Sequential {
  temporalMs: number[];
  directMs: number[];
  runs: Finished[];
  /** Summed over the measured runs. */
  temporalCpu: CpuUse;
  directCpu: CpuUse;
}

/** Indexes of the request bodies per phase, so no two runs in one process draw the same logo. */
const FIRST = { warmup: 10_000, sequential: 0, concurrent: 20_000 } as const;

export async function warmUp(client: BenchClient, direct: DirectRunner, jwtSecret: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const run = await client.finish(await client.start(jwtSecret, FIRST.warmup + i));
    assertAllCompleted([run], 'warm-up');
    await direct.run(FIRST.warmup + i);
  }
}

/** `count` generations one after another each way, alternating which goes first. */
export async function measureSequential(client: BenchClient, direct: DirectRunner, jwtSecret: string, count: number, pids: Pids): Promise<Sequential> {
  const result: Sequential = { temporalMs: [], directMs: [], runs: [], temporalCpu: {}, directCpu: {} };
  const viaTemporal = async (i: number) => {
    const cpu = watchCpu(pids);
    const run = await client.finish(await client.start(jwtSecret, FIRST.sequential + i));
    addCpu(result.temporalCpu, cpu());
    assertAllCompleted([run], 'P2');
    result.runs.push(run);
    result.temporalMs.push(run.finishedAt - run.postedAt);
  };
  const viaDirect = async (i: number) => {
    const { result: run, cpu } = await selfCpu(() => direct.run(FIRST.sequential + i));
    addCpu(result.directCpu, cpu);
    result.directMs.push(run.finishedAt - run.startedAt);
  };
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      await viaTemporal(i);
      await viaDirect(i);
    } else {
      await viaDirect(i);
      await viaTemporal(i);
    }
    process.stdout.write(`\r  P2 ${i + 1}/${count}: last ${result.temporalMs.at(-1)} ms via Temporal, ${result.directMs.at(-1)} ms direct   `);
  }
  process.stdout.write('\n');
  return result;
}

export interface Concurrent {
  count: number;
  temporalWallMs: number;
  directWallMs: number;
  temporalPerS: number;
  directPerS: number;
  appPeakRssBytes: number | undefined;
  rssSource: string;
  /** The benchmark process's peak while it ran the batch directly (its own baseline included). */
  directPeakRssBytes: number | undefined;
  temporalCpu: CpuUse;
  directCpu: CpuUse;
}

/** `count` generations submitted at once each way; the app's peak RSS while its batch runs. */
export async function measureConcurrent(
  client: BenchClient,
  direct: DirectRunner,
  jwtSecret: string,
  count: number,
  pids: Pids,
): Promise<Concurrent> {
  const indexes = Array.from({ length: count }, (_, i) => FIRST.concurrent + i);

  const rss = watchPeakRss(pids.app);
  const cpu = watchCpu(pids);
  const t0 = Date.now();
  let runs: Finished[];
  try {
    const started = await Promise.all(indexes.map((i) => client.start(jwtSecret, i)));
    runs = await Promise.all(started.map((s) => client.finish(s)));
  } catch (err) {
    rss.stop();
    throw err;
  }
  const peak = rss.stop();
  const temporalCpu = cpu();
  assertAllCompleted(runs, 'P3');
  const temporalWallMs = Math.max(...runs.map((r) => r.finishedAt)) - t0;

  // For comparison: this process's own peak while the same batch runs in it without Temporal.
  const selfRss = watchPeakRss(process.pid);
  const d0 = Date.now();
  const { result: directRuns, cpu: directCpu } = await selfCpu(() => Promise.all(indexes.map((i) => direct.run(i))));
  const directWallMs = Math.max(...directRuns.map((r) => r.finishedAt)) - d0;
  const directPeak = selfRss.stop();

  return {
    count,
    temporalWallMs,
    directWallMs,
    temporalPerS: count / (temporalWallMs / 1000),
    directPerS: count / (directWallMs / 1000),
    appPeakRssBytes: peak.peakBytes,
    rssSource: peak.source,
    directPeakRssBytes: directPeak.peakBytes,
    temporalCpu,
    directCpu,
  };
}
