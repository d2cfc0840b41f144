/**
 * What refinement does, pinned (test/imaging/refine-golden.test.ts against
 * test/fixtures/refine-golden.json): the planned operations of prompts covering every phrase of the
 * grammar, every intensity, preserved aspects and the fallback; and the output bytes of refinements
 * of an RGBA logo, an opaque square and a 16-bit greyscale image. After an intended change of
 * behaviour, rewrite the file with `npx tsx scripts/refine-golden.ts` and review the diff.
 */
import { createHash } from 'node:crypto';
import type { PreserveAspect } from '../../src/domain/inputs.js';
import { planRefineOperations, refineImageByPrompt } from '../../src/imaging/refine/index.js';
import { greyscalePng, logoPng, rgbPng } from './image-fixtures.js';

export type GoldenFixture = 'logo' | 'opaque' | 'grey16';

/** Prompts whose planned operations (labels and parameters) are pinned. */
export const PLAN_PROMPTS: readonly string[] = [
  'grayscale', 'black & white', 'invert it', 'less dark', 'not so bright', 'too pale',
  'less saturated', 'much more muted', 'slightly more vibrant', 'bold colours', 'lower contrast',
  'very low-contrast', 'high contrast', 'crisper', 'darker', 'a bit darker', 'much brighter',
  'warmer', 'really cooler', 'fewer colours', 'only three colours', '4 colours', 'posterized',
  'simpler', 'minimalist', 'bolder', 'much thicker strokes', 'rounder', 'slightly smoother',
  'upside down', 'flip it vertically', 'mirror', 'rotate', 'rotate 45 degrees counter-clockwise',
  'rotate it -30°', 'tilt it', 'much tilted to the left', 'turn it clockwise', 'bigger', 'much larger',
  'zoom out', 'slightly smaller', 'redder', 'golden', 'turquoise', 'navy', 'violet', 'pinkish',
  'orange', 'greenish', 'make it darker and rounder, with higher contrast', 'simpler and warmer',
  'zorp the blimfle', 'quux frobnicate', '', 'rotate it, more saturated, warmer',
];

export const CASES: readonly (readonly [GoldenFixture, string, PreserveAspect[]])[] = [
  ['logo', 'grayscale', []],
  ['logo', 'invert', []],
  ['logo', 'much darker', []],
  ['logo', 'slightly lighter', []],
  ['logo', 'more saturated', []],
  ['logo', 'muted', []],
  ['logo', 'higher contrast', []],
  ['logo', 'lower contrast', []],
  ['logo', 'warmer', []],
  ['logo', 'cooler', []],
  ['logo', 'only four colours', []],
  ['logo', 'simpler', []],
  ['logo', 'bolder outline', []],
  ['logo', 'rounder', []],
  ['logo', 'upside down', []],
  ['logo', 'mirror it', []],
  ['logo', 'rotate it 180 degrees', []],
  ['logo', 'rotate 90', []],
  ['logo', 'tilt it slightly', []],
  ['logo', 'zoom in', []],
  ['logo', 'zoom out', []],
  ['logo', 'make it blue', []],
  ['logo', 'zorp the blimfle', []],
  ['logo', 'zorp the blimfle', ['colors']],
  ['logo', 'rotate it, more saturated, warmer', ['layout']],
  ['logo', 'make it darker and rounder, with higher contrast', []],
  ['opaque', 'rotate', []],
  ['opaque', 'rotate counter-clockwise', []],
  ['opaque', 'make it red', []],
  ['opaque', 'much bolder', []],
  ['opaque', 'rounder and simpler', []],
  ['opaque', 'tilt 20 degrees', []],
  ['grey16', 'make it purple', []],
  ['grey16', 'darker', []],
  ['grey16', 'rotate', ['colors']],
];

export interface RefineGolden {
  /** Prompt → the planned operations, `label = {operation}` in execution order. */
  plans: Record<string, string[]>;
  /** `fixture | prompt | preserved | operations | size | sha-256 prefix of the PNG`, one per case. */
  outputs: string[];
}

async function fixtures(): Promise<Record<GoldenFixture, Buffer>> {
  return {
    logo: await logoPng(96, 64),
    opaque: await rgbPng(64, 64, (x, y) => [(x * 4) & 255, (y * 4) & 255, ((x ^ y) * 8) & 255]),
    grey16: await greyscalePng(40, 30, 16),
  };
}

export async function computeRefineGolden(): Promise<RefineGolden> {
  const plans: Record<string, string[]> = {};
  for (const prompt of PLAN_PROMPTS) plans[prompt] = planRefineOperations(prompt).map((p) => `${p.label} = ${JSON.stringify(p.operation)}`);
  const images = await fixtures();
  const outputs: string[] = [];
  for (const [fixture, prompt, preserve] of CASES) {
    const refined = await refineImageByPrompt(images[fixture], prompt, preserve);
    const hash = createHash('sha256').update(refined.bytes).digest('hex').slice(0, 24);
    outputs.push([fixture, prompt, preserve.join(','), refined.operations.join(', '), `${refined.width}x${refined.height}`, hash].join(' | '));
  }
  return { plans, outputs };
}
