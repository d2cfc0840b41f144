/**
 * `npm run drill` — reliability drills against the real Temporal dev server and the app as a child
 * process (docs/reliability.md). One line per drill, then `drills: N passed, M failed`; exit code 1
 * on any failure. Options:
 *   --quick          smaller counts, the same drills (CI)
 *   --json FILE      write every figure to FILE
 *   --only R1,R4     run only these drills
 *   --seed N         random seed (default 13): the same seed makes the same choices
 *   --keep           keep every drill's folder (data, logs); failed drills' folders are always kept
 * Everything a drill starts is stopped at its end, and on failure or SIGINT/SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll } from './lib/cleanup.js';
import { DrillContext, type Drill, type Figures } from './lib/drill.js';
import { FULL, QUICK } from './lib/profile.js';
import { createRng } from './lib/rng.js';
import { r1AppCrash } from './r1-app-crash.js';
import { r2ServerRestart } from './r2-server-restart.js';
import { r3ProviderFaults } from './r3-provider-faults.js';
import { r4MalformedFlood } from './r4-malformed-flood.js';
import { r5Duplicates } from './r5-duplicates.js';
import { r6CancelStorm } from './r6-cancel-storm.js';
import { r7StorageFault } from './r7-storage-fault.js';

const DRILLS: Drill[] = [r1AppCrash, r2ServerRestart, r3ProviderFaults, r4MalformedFlood, r5Duplicates, r6CancelStorm, r7StorageFault];

interface DrillOutcome {
  id: string;
  title: string;
  passed: boolean;
  summary: string;
  failures: string[];
  duration_ms: number;
  folder?: string;
  figures: Figures;
}

function parseArgs(argv: string[]) {
  const options = { quick: false, json: undefined as string | undefined, only: undefined as string[] | undefined, seed: 13, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--json') options.json = resolve(value());
    else if (arg === '--only') options.only = value().toUpperCase().split(',').map((s) => s.trim());
    else if (arg === '--seed') options.seed = Number(value());
    else throw new Error(`unknown option ${arg} (see drills/main.ts)`);
  }
  if (!Number.isInteger(options.seed)) throw new Error('--seed must be an integer');
  return options;
}

async function runDrill(drill: Drill, ctx: DrillContext): Promise<DrillOutcome> {
  const started = Date.now();
  let summary: string;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`drill timed out after ${Math.round((ctx.deadline - started) / 1000)} s`)), ctx.deadline - started);
    });
    summary = await Promise.race([drill.run(ctx), timeout]);
  } catch (err) {
    ctx.failures.push(`error: ${(err as Error).message.split('\n')[0]}`);
    ctx.log(`ERROR: ${(err as Error).stack ?? String(err)}`);
    summary = 'did not finish';
  } finally {
    clearTimeout(timer);
    // Whatever the drill left running (a failure half-way, a timeout) stops here.
    await cleanupAll((message) => ctx.log(message));
  }
  return {
    id: drill.id,
    title: drill.title,
    passed: ctx.failures.length === 0,
    summary,
    failures: ctx.failures,
    duration_ms: Date.now() - started,
    figures: ctx.figures,
  };
}

/**
 * What `npm start` does before it starts the app — its `prestart` script (builds the web page when
 * it is missing or stale) — once, so the app the drills start serves what `npm start`'s would.
 */
function prepareLikeNpmStart(repoRoot: string, root: string): void {
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts.prestart) return;
  const result = spawnSync('npm', ['run', '--silent', 'prestart'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
  writeFileSync(join(root, 'prestart.log'), `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0) console.log(`warning: npm start's prestart step failed (see ${join(root, 'prestart.log')}); going on`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const profile = options.quick ? QUICK : FULL;
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const drills = DRILLS.filter((d) => !options.only || options.only.includes(d.id));
  if (drills.length === 0) throw new Error(`no drill matches --only ${options.only?.join(',')}`);
  const root = mkdtempSync(join(tmpdir(), 'conceptflow-drills-'));
  console.log(`drills (${profile.name} profile, seed ${options.seed}) in ${root}`);
  prepareLikeNpmStart(repoRoot, root);

  const outcomes: DrillOutcome[] = [];
  const rng = createRng(options.seed);
  for (const drill of drills) {
    const folder = join(root, drill.id);
    const ctx = new DrillContext(drill, profile, rng.fork(drill.id), folder, repoRoot, Date.now() + profile.drillTimeoutMs);
    const outcome = await runDrill(drill, ctx);
    const keep = options.keep || !outcome.passed;
    if (keep) outcome.folder = folder;
    else rmSync(folder, { recursive: true, force: true });
    outcomes.push(outcome);
    const verdict = outcome.passed ? 'PASS' : 'FAIL';
    console.log(`${drill.id} ${drill.title.padEnd(16)} ${verdict}  ${outcome.summary}  (${Math.round(outcome.duration_ms / 1000)} s)`);
    for (const failure of outcome.failures) console.log(`     ✗ ${failure}`);
    if (keep) console.log(`     folder: ${folder}`);
  }

  const passed = outcomes.filter((o) => o.passed).length;
  const failed = outcomes.length - passed;
  if (options.json) {
    mkdirSync(dirname(options.json), { recursive: true });
    const report = { profile: profile.name, seed: options.seed, node: process.version, finished_at: new Date().toISOString(), passed, failed, drills: outcomes };
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (outcomes.every((o) => !o.folder)) rmSync(root, { recursive: true, force: true });
  console.log(`drills: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping everything the drills started`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => cleanupAll().then(() => process.exit(code)),
  (err: unknown) => {
    console.error(`drills could not run: ${(err as Error).message}`);
    void cleanupAll().finally(() => process.exit(2));
  },
);
