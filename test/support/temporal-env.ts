/**
 * The Temporal test tier. The environment comes from, in order:
 *   TEMPORAL_CLI_PATH, else the project's .tools/bin/temporal (`npm run temporal:install`)
 *                     → a dev server run from that binary (createLocal, existing-path);
 *   TEMPORAL_ADDRESS  → an existing server (createFromExistingServer);
 *   otherwise         → the SDK's own download (createLocal).
 * When none can be had (offline, no binary) the tier is skipped with one printed reason — except
 * with CI=true, where a tier that cannot start is a failure.
 */
import { describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { findTemporalCli } from '../../src/temporal/cli-path.js';
import { ensureSearchAttributes } from '../../src/temporal/register-search-attributes.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes.js';
import { workflowsPath } from '../../src/temporal/workflow-code.js';
import { devServerDynamicConfigArgs } from '../../src/temporal/dev-server-config.js';

export type TemporalTier = { env: TestWorkflowEnvironment; skip?: undefined } | { env?: undefined; skip: string };

/** The CLI binary the tier runs, if one is configured or installed in the project. */
function cliBinary(): { path: string; source: string } | undefined {
  const found = findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, searchPath: [], downloadDir: '' });
  return found.executable.type === 'existing-path' ? { path: found.executable.path, source: found.source } : undefined;
}

/** Where the environment comes from, in the order createEnvironment tries. */
function environmentSource(): string {
  const cli = cliBinary();
  if (cli) return `${cli.source} (${cli.path})`;
  if (process.env.TEMPORAL_ADDRESS) return `TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`;
  return "the SDK's dev-server download";
}

async function createEnvironment(): Promise<{ env: TestWorkflowEnvironment; source: string }> {
  const cli = cliBinary();
  if (cli) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli.path }, searchAttributes: SEARCH_ATTRIBUTE_KEYS, extraArgs: devServerDynamicConfigArgs() },
    });
    return { env, source: `${cli.source} (${cli.path})` };
  }
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    const env = await TestWorkflowEnvironment.createFromExistingServer({ address });
    const connection = await Connection.connect({ address });
    try {
      await ensureSearchAttributes(connection, env.namespace ?? 'default');
    } finally {
      await connection.close();
    }
    return { env, source: `TEMPORAL_ADDRESS=${address}` };
  }
  const env = await TestWorkflowEnvironment.createLocal({ server: { searchAttributes: SEARCH_ATTRIBUTE_KEYS, extraArgs: devServerDynamicConfigArgs() } });
  return { env, source: 'SDK download' };
}

let reported = false;

/** Call once per test file, at top level: `const tier = await temporalTier('workflow tests');`. */
export async function temporalTier(what: string): Promise<TemporalTier> {
  try {
    const { env, source } = await createEnvironment();
    console.log(`[temporal tier] ${what}: running against ${source}`);
    return { env };
  } catch (err) {
    const reason =
      `Temporal tier skipped (${what}): no Temporal server from ${environmentSource()} — run \`npm run temporal:install\`, ` +
      `set TEMPORAL_CLI_PATH to a temporal CLI binary, or TEMPORAL_ADDRESS to a running server. Error: ` +
      `${(err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200)}`;
    if (!reported) console.log(`[temporal tier] ${reason}`);
    reported = true;
    return { skip: reason };
  }
}

/** In CI the Temporal tier must run: a tier that cannot start fails instead of skipping. */
export const temporalTierRequired = process.env.CI === 'true';

/**
 * `describe` for a Temporal tier suite. When the tier is skipped, the suite is reported as one
 * skipped test carrying the reason, so the runner's closing count shows it (a skipped `describe`
 * alone counts as nothing there); with CI=true it is one failing test instead.
 */
export function describeTemporal(tier: TemporalTier, name: string, suite: (env: TestWorkflowEnvironment) => void): void {
  if (tier.skip !== undefined) {
    const reason = tier.skip;
    if (temporalTierRequired) {
      it(name, () => {
        throw new Error(`CI=true requires the Temporal tier. ${reason}`);
      });
    } else {
      it(name, { skip: reason }, () => {});
    }
    return;
  }
  const env = tier.env;
  describe(name, () => suite(env));
}

/**
 * `describe` for suites that run the Temporal CLI themselves (e.g. through `npm start`): the suite
 * gets the binary's path; without one it is skipped with the reason (a failure with CI=true).
 */
export function describeWithTemporalCli(name: string, suite: (cliPath: string) => void): void {
  const cli = cliBinary();
  if (cli) {
    describe(name, () => suite(cli.path));
    return;
  }
  describeTemporal(
    { skip: `Temporal tier skipped (${name}): no Temporal CLI — run \`npm run temporal:install\` or set TEMPORAL_CLI_PATH` },
    name,
    () => {},
  );
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
export const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
