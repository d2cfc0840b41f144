/**
 * Recolour engine benchmark (`npm run bench:recolour`).
 *
 * A 1024×1024 logo-like RGBA image (rendered from SVG: shapes, gradients, antialiased edges,
 * transparency) and 7 palettes of 5 colours. Compares
 *   engine: analyzeImageBytes once + 7 × recolour (PNG encode included)
 *   floor:  7 × plain sharp decode + PNG encode of the same image, same PNG settings
 * sequentially (the ratio the target is about) and with the 7 jobs concurrent (as the workflow runs
 * them). Warm-up rounds first, then the median of the measured rounds; peak RSS at the end.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { analyzeImageBytes } from '../src/imaging/image-analysis.js';
import { recolour, VARIATION_PNG_OPTIONS } from '../src/imaging/recolour.js';
import { logoPng } from '../test/support/image-fixtures.js';

const SIZE = 1024;
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TARGET_RATIO = 2.0;

const PALETTES: readonly (readonly string[])[] = [
  ['#264653', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51'],
  ['#03045e', '#0077b6', '#00b4d8', '#90e0ef', '#caf0f8'],
  ['#000000', '#14213d', '#fca311', '#e5e5e5', '#ffffff'],
  ['#606c38', '#283618', '#fefae0', '#dda15e', '#bc6c25'],
  ['#ffbe0b', '#fb5607', '#ff006e', '#8338ec', '#3a86ff'],
  ['#2b2d42', '#8d99ae', '#edf2f4', '#ef233c', '#d90429'],
  ['#f72585', '#7209b7', '#3a0ca3', '#4361ee', '#4cc9f0'],
];

async function engineSequential(image: Buffer): Promise<number> {
  const analysis = await analyzeImageBytes(image);
  let bytes = 0;
  for (const palette of PALETTES) bytes += (await recolour(analysis, palette)).bytes.length;
  return bytes;
}

async function engineConcurrent(image: Buffer): Promise<number> {
  const analysis = await analyzeImageBytes(image);
  const outputs = await Promise.all(PALETTES.map((palette) => recolour(analysis, palette)));
  return outputs.reduce((sum, output) => sum + output.bytes.length, 0);
}

async function floorSequential(image: Buffer): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < PALETTES.length; i++) bytes += (await sharp(image).png(VARIATION_PNG_OPTIONS).toBuffer()).length;
  return bytes;
}

async function floorConcurrent(image: Buffer): Promise<number> {
  const outputs = await Promise.all(PALETTES.map(() => sharp(image).png(VARIATION_PNG_OPTIONS).toBuffer()));
  return outputs.reduce((sum, output) => sum + output.length, 0);
}

async function analysisOnly(image: Buffer): Promise<number> {
  return (await analyzeImageBytes(image)).clusterCount;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs the cases interleaved round by round, so machine noise hits all of them alike. */
async function measure(cases: Record<string, () => Promise<number>>): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const start = performance.now();
      await run();
      const elapsed = performance.now() - start;
      if (round >= WARMUP_ROUNDS) times[name]!.push(elapsed);
    }
  }
  return times;
}

const format = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;

async function main(): Promise<void> {
  const image = await logoPng(SIZE);
  const meta = await sharp(image).metadata();
  console.log(
    `recolour bench: ${meta.width}×${meta.height} ${meta.channels}-channel PNG (${image.length} bytes), ` +
      `${PALETTES.length} palettes × 5 colours, ${availableParallelism()} cores, libvips threads ${sharp.concurrency()}, ` +
      `${WARMUP_ROUNDS} warm-up + ${MEASURED_ROUNDS} measured rounds`,
  );
  const times = await measure({
    'analysis only': () => analysisOnly(image),
    'engine sequential (analysis + 7 recolours)': () => engineSequential(image),
    'floor sequential (7 × decode + PNG encode)': () => floorSequential(image),
    'engine concurrent': () => engineConcurrent(image),
    'floor concurrent': () => floorConcurrent(image),
  });
  for (const [name, values] of Object.entries(times)) {
    console.log(`${name.padEnd(44)} median ${format(median(values))}   min ${format(Math.min(...values))}`);
  }
  const ratio = (engine: string, floor: string) => median(times[engine]!) / median(times[floor]!);
  const sequentialRatio = ratio('engine sequential (analysis + 7 recolours)', 'floor sequential (7 × decode + PNG encode)');
  const concurrentRatio = ratio('engine concurrent', 'floor concurrent');
  console.log(`ratio sequential ${sequentialRatio.toFixed(2)} (target ≤ ${TARGET_RATIO.toFixed(1)})   ratio concurrent ${concurrentRatio.toFixed(2)}`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  if (sequentialRatio > TARGET_RATIO) process.exitCode = 1;
}

await main();
