/** The concept worker: the workflow bundle plus activities wired to real adapters. */
import { Worker, type NativeConnection, type WorkerOptions, type WorkerPlugin } from '@temporalio/worker';
import type { ConceptActivities } from '../activities/index.js';
import { HEARTBEAT_INTERVAL } from '../activities/run.js';
import { prebuiltWorkflowBundle, workflowCodeFromSource, workflowsPath, type WorkflowCode } from './workflow-code.js';

/** Activities one worker runs at once: variations run concurrently, and image work is CPU-bound. */
export const MAX_CONCURRENT_ACTIVITIES = 16;

export interface ConceptWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ConceptActivities;
  /** Prebundled workflow code (tests); else the prebuilt bundle of `npm run build`; else the cached source bundle (workflow-code.ts). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Told when the source bundle could not be built by a child process and the worker bundles in-process. */
  onBundleFallback?: (reason: string) => void;
  /** e.g. the OpenTelemetry plugin (observability/tracing.ts); a prebuilt bundle must include its workflow modules. */
  plugins?: WorkerPlugin[];
}

export async function createConceptWorker(options: ConceptWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, plugins } = options;
  return Worker.create({
    plugins,
    connection,
    namespace,
    taskQueue,
    activities,
    ...(await workflowCodeFor(options)),
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

async function workflowCodeFor(options: ConceptWorkerOptions): Promise<WorkflowCode> {
  if (options.workflowBundle) return { workflowBundle: options.workflowBundle };
  // A plugin with workflow interceptors (tracing) needs them in the bundle, which neither the
  // prebuilt nor the cached bundle has: with plugins the SDK bundles at start-up.
  if (options.plugins?.length) return { workflowsPath: workflowsPath() };
  const prebuilt = prebuiltWorkflowBundle();
  if (prebuilt) return { workflowBundle: prebuilt };
  return workflowCodeFromSource({ onFallback: options.onBundleFallback });
}
