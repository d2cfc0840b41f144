/**
 * Server settings every dev server this project starts runs with (`npm start`'s, the drills',
 * the benchmarks'), as `temporal server start-dev` flags.
 *
 * Eager activity execution: when a workflow task schedules activities on the worker's own task
 * queue, the server hands them back in its answer to that workflow task instead of queueing them
 * for a poll (the SDK asks for it by default). It saves a matching round trip per activity and
 * the server work that goes with it. The server ships with it off; Temporal Cloud has it on. For a
 * server you run yourself (TEMPORAL_ADDRESS), set the same dynamic config there.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string>> = {
  'system.enableActivityEagerExecution': 'true',
};

export function devServerDynamicConfigArgs(): string[] {
  return Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]);
}
