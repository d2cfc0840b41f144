/**
 * Pipeline benchmark (`npm run bench:pipeline [-- --quick] [-- --no-scale-out]`): what durability
 * costs, how many concepts per second one machine makes, and whether the API stays fast meanwhile.
 * Starts its own Temporal dev server and the app (child processes, loopback only), measures the
 * app against the same activities called directly in-process, prints a table and, last, one JSON
 * line with every figure. Stops everything it started, also on error and Ctrl-C.
 * See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { measureApiLoad } from './api-load.js';
import { BenchClient } from './api-client.js';
import { startAllInOne } from './app.js';
import { openDirectRunner } from './direct.js';
import { measureConcurrent, measureSequential, warmUp } from './generations.js';
import { measureHistory, runTimes } from './history.js';
import { describeMachine, loadNow } from './machine.js';
import { killAllProcessesNow, stopAllProcesses } from './processes.js';
import { profileArgs, summarizeProfiles } from './profile.js';
import { report, type Measured } from './report.js';
import { measureScaleOut } from './scale-out.js';
import { startTemporal } from './temporal-server.js';

const quick = process.argv.includes('--quick');
const scaleOut = !process.argv.includes('--no-scale-out');
/** Keep the work folder (logs of every process, databases) after the run; it is kept after a failure anyway. */
const keep = process.argv.includes('--keep');
/** Run the app under `node --cpu-prof` and print where its main thread spent its time. */
const profile = process.argv.includes('--profile');

const PLAN = quick
  ? { warmup: 1, sequential: 5, concurrent: 10, loadSeconds: 5, scaleBatch: 6, scaleWarmup: 1 }
  : { warmup: 2, sequential: 20, concurrent: 40, loadSeconds: 20, scaleBatch: 20, scaleWarmup: 2 };
const LOAD = { postRate: 50, getRate: 200, seedTasks: 4 };

const dir = mkdtempSync(join(tmpdir(), 'cf-bench-'));
const cleanups: (() => Promise<unknown>)[] = [];
let finished = false;

async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`));
  await stopAllProcesses();
}

// Whatever happens, no child outlives the benchmark; the work folder goes unless it explains a failure.
process.on('exit', () => {
  killAllProcessesNow();
  if (finished && !keep) rmSync(dir, { recursive: true, force: true });
  else console.error(`work folder kept (process logs): ${dir}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping everything the benchmark started`);
    killAllProcessesNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

async function main(): Promise<Measured> {
  const machine = describeMachine();
  console.log(`Pipeline benchmark${quick ? ' (--quick)' : ''}: ${machine.cpus}× ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${process.versions.node}`);
  console.log(`load average at start: ${machine.loadavg.join(' ')}   (work folder ${dir})`);
  const loads: Record<string, number[]> = { start: machine.loadavg };
  const jwtSecret = randomBytes(32).toString('hex');

  const temporal = await startTemporal(dir, 'temporal');
  cleanups.push(() => temporal.stop());
  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  const temporalClient = new Client({ connection, namespace: temporal.namespace });

  const profileDir = join(dir, 'profiles');
  const app = await startAllInOne(
    'app',
    { temporalAddress: temporal.address, taskQueue: 'bench', jwtSecret, dataDir: join(dir, 'app-data'), nodeArgs: profile ? profileArgs(profileDir) : [] },
    dir,
  );
  // The app drains in-flight activities on SIGTERM (its shutdown grace is 30 s).
  cleanups.push(() => app.process.stop(40_000));
  const direct = await openDirectRunner(join(dir, 'direct-data'), jwtSecret);
  cleanups.push(() => direct.close());
  const client = new BenchClient(app.baseUrl, temporalClient);
  console.log(`app ${app.baseUrl} (pid ${app.process.pid}), Temporal ${temporal.address}`);

  console.log(`warm-up: ${PLAN.warmup} generation(s) each way`);
  await warmUp(client, direct, jwtSecret, PLAN.warmup);

  console.log(`P2: ${PLAN.sequential} sequential generations each way, interleaved`);
  const pids = { app: app.process.pid, temporal: temporal.process.pid };
  const sequential = await measureSequential(client, direct, jwtSecret, PLAN.sequential, pids);
  loads.p2 = loadNow();

  console.log('P5: history of the last P2 generation');
  const history = await measureHistory(temporalClient, sequential.runs.at(-1)!.workflowId);
  const times = await runTimes(temporalClient, sequential.runs);

  console.log(`P3/P6: ${PLAN.concurrent} generations at once through the app, then directly`);
  const concurrent = await measureConcurrent(client, direct, jwtSecret, PLAN.concurrent, pids);
  loads.p3 = loadNow();

  console.log(`P4: ${PLAN.loadSeconds} s of POST generate at ${LOAD.postRate}/s and GET task at ${LOAD.getRate}/s (autocannon)`);
  const load = await measureApiLoad(client, jwtSecret, { seconds: PLAN.loadSeconds, ...LOAD });
  loads.p4 = loadNow();

  // The single-machine stack has done its part; its backlog must not load the scale-out phase.
  await runCleanups();
  if (profile) console.log(summarizeProfiles(profileDir));

  let scale;
  if (scaleOut) {
    console.log(`scale-out: Supabase stack, API + 1 then 2 worker processes, batches of ${PLAN.scaleBatch}`);
    scale = await measureScaleOut(dir, { batch: PLAN.scaleBatch, warmup: PLAN.scaleWarmup }, cleanups);
    loads.scale_out = loadNow();
  } else {
    scale = { skipped: '--no-scale-out' };
  }
  return { quick, machine, loads, sequential, times, history, concurrent, load, scale };
}

try {
  const measured = await main();
  await runCleanups();
  report(measured);
  finished = true;
} catch (err) {
  console.error(`\npipeline benchmark failed: ${(err as Error).stack ?? err}`);
  await runCleanups();
}
// Exit now: a library timer or socket left behind must not keep a finished benchmark alive.
process.exit(finished ? 0 : 1);
