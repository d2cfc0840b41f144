/**
 * Scale-out: the tests' Supabase stack (PostgreSQL 15 + PostgREST + the Storage-contract server
 * behind one gateway), a fresh Temporal dev server, `npm run api`, and one then two
 * `npm run worker` processes. The same batch of generations submitted at once, first with one
 * worker, then with two; the ratio of completions per second.
 */
import { Client, Connection } from '@temporalio/client';
import { startSupabaseStack, supabaseStackUnavailable } from '../../test/support/supabase-stack.js';
import { assertAllCompleted, BenchClient, type Finished } from './api-client.js';
import { startApi, startWorkerProcess, type AppSettings } from './app.js';
import type { ManagedProcess } from './processes.js';
import { startTemporal } from './temporal-server.js';

export type ScaleOut =
  | { skipped: string }
  | { batch: number; oneWorkerPerS: number; twoWorkersPerS: number; ratio: number };

type Cleanup = () => Promise<unknown>;

async function batch(client: BenchClient, jwtSecret: string, first: number, count: number): Promise<number> {
  const t0 = Date.now();
  const started = await Promise.all(Array.from({ length: count }, (_, i) => client.start(jwtSecret, first + i)));
  const runs: Finished[] = await Promise.all(started.map((s) => client.finish(s)));
  assertAllCompleted(runs, 'scale-out');
  return count / ((Math.max(...runs.map((r) => r.finishedAt)) - t0) / 1000);
}

/** `cleanups` receives each resource's stop as soon as it exists (the caller runs them, newest first). */
export async function measureScaleOut(dir: string, options: { batch: number; warmup: number }, cleanups: Cleanup[]): Promise<ScaleOut> {
  const unavailable = supabaseStackUnavailable();
  if (unavailable) return { skipped: unavailable };

  const stack = await startSupabaseStack();
  cleanups.push(() => stack.stop());
  const temporal = await startTemporal(dir, 'temporal-scale-out');
  cleanups.push(() => temporal.stop());
  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  const settings: AppSettings = {
    temporalAddress: temporal.address,
    taskQueue: 'bench-scale-out',
    jwtSecret: stack.jwtSecret,
    supabase: { url: stack.url, serviceRoleKey: stack.serviceRoleKey },
  };
  const api = await startApi('api-scale-out', settings, dir);
  cleanups.push(() => api.process.stop());
  const client = new BenchClient(api.baseUrl, new Client({ connection, namespace: temporal.namespace }));
  const workers: ManagedProcess[] = [];
  const addWorker = async () => {
    const worker = await startWorkerProcess(`worker-${workers.length + 1}`, settings, dir);
    workers.push(worker);
    cleanups.push(() => worker.stop(40_000));
  };

  await addWorker();
  await batch(client, stack.jwtSecret, 50_000, options.warmup);
  process.stdout.write('  scale-out: 1 worker …');
  const oneWorkerPerS = await batch(client, stack.jwtSecret, 51_000, options.batch);
  await addWorker();
  // Both workers poll the queue now; a short batch warms the new one (bundle loaded, sharp warm).
  await batch(client, stack.jwtSecret, 52_000, options.warmup * 2);
  process.stdout.write(' 2 workers …');
  const twoWorkersPerS = await batch(client, stack.jwtSecret, 53_000, options.batch);
  process.stdout.write(' done\n');
  return { batch: options.batch, oneWorkerPerS, twoWorkersPerS, ratio: twoWorkersPerS / oneWorkerPerS };
}
