/**
 * Variation quality benchmark (`npm run bench:quality`, issue 11).
 *
 * For each pair of descriptions below, runs the local providers as a generation does (procedural
 * logo, 7 theme palettes, one recolour per palette) and prints:
 *   mean pair  — mean over all pairs of variations of the mean per-pixel CIE76 ΔE (64 × 64 downscales)
 *   min pair   — the closest pair of variations, same measure
 *   from base  — mean over variations of their ΔE from the base image
 *   collapsed  — region pairs distinct in the base (ΔE ≥ 15) that come closer than ΔE 10 in a
 *                variation, summed over the variations (see test/support/variation-quality.ts)
 *   flips      — region pairs ≥ 10 L* apart in the base whose lightness order a variation reverses
 *                (reported; kept at 0 by the mapping's design)
 * Goals, for every run: min pair ≥ 10, mean pair ≥ 20, from base ≥ 15, collapsed = 0. Exits 1 when
 * a run misses one. Writes a contact sheet (base + variations per run) to bench/out/.
 *
 * `npm run bench:quality -- other.json` runs descriptions kept elsewhere instead: a JSON array of
 * [logo description, theme description] pairs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeImageBytes } from '../src/imaging/image-analysis.js';
import { recolour } from '../src/imaging/recolour.js';
import { createLocalImageProvider, generateThemePalettes } from '../src/providers/local/index.js';
import { measureRun, type RunQuality } from '../test/support/variation-quality.js';
import { contactSheet, type SheetRow } from './contact-sheet.js';
import { DESCRIPTIONS } from './quality-descriptions.js';

const PALETTES = 7;
const GOALS = { minPair: 10, meanPair: 20, meanFromBase: 15, collapsed: 0 };
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), 'out', 'quality-contact-sheet.png');

const fixed = (v: number, width = 6) => v.toFixed(1).padStart(width);

function misses(q: RunQuality): string[] {
  const out: string[] = [];
  if (q.minPair < GOALS.minPair) out.push('min pair');
  if (q.meanPair < GOALS.meanPair) out.push('mean pair');
  if (q.meanFromBase < GOALS.meanFromBase) out.push('from base');
  if (q.collapsed > GOALS.collapsed) out.push('collapsed');
  return out;
}

async function descriptions(): Promise<readonly (readonly [string, string])[]> {
  const file = process.argv[2];
  if (!file) return DESCRIPTIONS;
  const pairs: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((t) => typeof t === 'string'))) {
    throw new Error(`${file}: expected a JSON array of [logo description, theme description] pairs`);
  }
  return pairs as [string, string][];
}

async function main(): Promise<void> {
  const runs = await descriptions();
  const images = createLocalImageProvider();
  const rows: SheetRow[] = [];
  const results: RunQuality[] = [];
  console.log(`quality bench: ${runs.length} runs × ${PALETTES} palettes (ΔE76 on 64×64 downscales)`);
  console.log(`${'#'.padStart(3)}  ${'description'.padEnd(58)} ${'mean pair'.padStart(9)} ${'min pair'.padStart(8)} ${'from base'.padStart(9)} ${'collapsed'.padStart(9)} ${'flips'.padStart(5)}`);
  for (const [index, [logoDescription, themeDescription]] of runs.entries()) {
    const base = (await images.generateLogo({ logoDescription, themeDescription })).bytes;
    const palettes = generateThemePalettes({ themeDescription, logoDescription, count: PALETTES });
    const analysis = await analyzeImageBytes(base);
    const variations = await Promise.all(palettes.map(async (p) => (await recolour(analysis, p.colors)).bytes));
    const quality = await measureRun(base, variations);
    results.push(quality);
    rows.push({ caption: `${logoDescription} / ${themeDescription}`, base, variations: palettes.map((p, i) => ({ image: variations[i]!, colors: p.colors, name: p.name })) });
    const missed = misses(quality);
    console.log(
      `${String(index + 1).padStart(3)}  ${`${logoDescription} / ${themeDescription}`.slice(0, 58).padEnd(58)} ` +
        `${fixed(quality.meanPair, 9)} ${fixed(quality.minPair, 8)} ${fixed(quality.meanFromBase, 9)} ${`${quality.collapsed}/${quality.distinctPairs * variations.length}`.padStart(9)} ${String(quality.flips).padStart(5)}` +
        (missed.length ? `   missed: ${missed.join(', ')}` : ''),
    );
  }
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, await contactSheet(rows));

  const mean = (pick: (q: RunQuality) => number) => results.reduce((s, q) => s + pick(q), 0) / results.length;
  const worst = (pick: (q: RunQuality) => number) => Math.min(...results.map(pick));
  const failing = results.filter((q) => misses(q).length > 0).length;
  console.log('');
  console.log(`summary over ${results.length} runs          average   worst run   goal (every run)`);
  console.log(`  min pair ΔE                   ${fixed(mean((q) => q.minPair), 7)}   ${fixed(worst((q) => q.minPair), 9)}   ≥ ${GOALS.minPair}`);
  console.log(`  mean pair ΔE                  ${fixed(mean((q) => q.meanPair), 7)}   ${fixed(worst((q) => q.meanPair), 9)}   ≥ ${GOALS.meanPair}`);
  console.log(`  mean ΔE from base             ${fixed(mean((q) => q.meanFromBase), 7)}   ${fixed(worst((q) => q.meanFromBase), 9)}   ≥ ${GOALS.meanFromBase}`);
  console.log(`  collapsed region pairs (total) ${String(results.reduce((s, q) => s + q.collapsed, 0)).padStart(6)}   ${String(Math.max(...results.map((q) => q.collapsed))).padStart(9)}   = ${GOALS.collapsed}`);
  console.log(`  lightness flips (total)        ${String(results.reduce((s, q) => s + q.flips, 0)).padStart(6)}`);
  console.log(`runs missing a goal: ${failing} of ${results.length}`);
  console.log(`contact sheet: ${OUT}`);
  if (failing > 0) process.exitCode = 1;
}

await main();
