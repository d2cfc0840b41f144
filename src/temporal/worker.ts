/** The concept worker: the workflow bundle plus activities wired to real adapters. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions, type WorkerPlugin } from '@temporalio/worker';
import type { ConceptActivities } from '../activities/index.js';
import { HEARTBEAT_INTERVAL } from '../activities/run.js';

/**
 * The workflow bundle `npm run build` prebuilds (dist/workflow-bundle.js, beside the compiled
 * code); undefined when running from source, where the worker bundles at start-up.
 */
export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  const path = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  return existsSync(path) ? { codePath: path } : undefined;
}

/** The workflows entry, as source under tsx or compiled under dist. */
export function workflowsPath(): string {
  for (const ext of ['ts', 'js']) {
    const path = fileURLToPath(new URL(`../workflows/index.${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('Cannot find src/workflows/index.(ts|js)');
}

/** Activities one worker runs at once: variations run concurrently, and image work is CPU-bound. */
export const MAX_CONCURRENT_ACTIVITIES = 16;

export interface ConceptWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ConceptActivities;
  /** Prebundled workflow code (tests); else the prebuilt bundle of `npm run build`; else bundled at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** e.g. the OpenTelemetry plugin (observability/tracing.ts); a prebuilt bundle must include its workflow modules. */
  plugins?: WorkerPlugin[];
}

export async function createConceptWorker(options: ConceptWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, plugins } = options;
  // A plugin with workflow interceptors (tracing) needs them in the bundle: the prebuilt one has
  // none, so with plugins the worker bundles at start-up unless the caller passes a bundle built with them.
  const workflowBundle = options.workflowBundle ?? (plugins?.length ? undefined : prebuiltWorkflowBundle());
  return Worker.create({
    plugins,
    connection,
    namespace,
    taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: workflowsPath() }),
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
    // On shutdown, in-flight activities get this long to finish before they are cancelled.
    shutdownGraceTime: '30 seconds',
    // A cancellation reaches an activity only in the answer to one of its heartbeats, and the SDK
    // holds heartbeats back for up to 0.8 × the heartbeat timeout by default (24 s for a provider
    // call). Activities heartbeat every second (activities/run.ts); sending each one promptly keeps
    // cancel → canceled within a couple of seconds even during a 30 s image call.
    maxHeartbeatThrottleInterval: HEARTBEAT_INTERVAL,
    defaultHeartbeatThrottleInterval: HEARTBEAT_INTERVAL,
  });
}
