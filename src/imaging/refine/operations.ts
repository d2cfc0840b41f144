/**
 * Every refine operation: which aspects of the image it changes (a preserved aspect drops it) and
 * the pixel operation that runs it. Listed in execution order: geometry → shapes → colours → tone →
 * the corner mask.
 */
import type { PreserveAspect } from '../../domain/inputs.js';
import type { RgbaImage } from '../rgba.js';
import type { OperationOf, RefineOperation, RefineOperationKind } from './operation.js';
import { boldOutline } from './ops/bold-outline.js';
import { contrast } from './ops/contrast.js';
import { flip } from './ops/flip.js';
import { hueRotate } from './ops/hue-rotate.js';
import { invert } from './ops/invert.js';
import { lightness } from './ops/lightness.js';
import { reduceColors } from './ops/reduce-colors.js';
import { rotate } from './ops/rotate.js';
import { roundCorners } from './ops/round-corners.js';
import { saturation } from './ops/saturation.js';
import { smoothShapes } from './ops/smooth-shapes.js';
import { tint } from './ops/tint.js';
import { warmth } from './ops/warmth.js';
import { zoom } from './ops/zoom.js';

interface OperationEntry<K extends RefineOperationKind> {
  touches: readonly PreserveAspect[];
  run(image: RgbaImage, operation: OperationOf<K>): RgbaImage | Promise<RgbaImage>;
}

const OPERATIONS: { readonly [K in RefineOperationKind]: OperationEntry<K> } = {
  rotate: { touches: ['layout'], run: (image, op) => rotate(image, op.degrees) },
  flip: { touches: ['layout'], run: (image, op) => flip(image, op.axis) },
  zoom: { touches: ['layout'], run: (image, op) => zoom(image, op.factor) },
  'smooth-shapes': { touches: ['shapes'], run: (image, op) => smoothShapes(image, op.strength) },
  'bold-outline': { touches: ['style', 'shapes'], run: (image, op) => boldOutline(image, op.strength) },
  'reduce-colors': { touches: ['colors', 'style'], run: (image, op) => reduceColors(image, op.colors) },
  tint: { touches: ['colors'], run: (image, op) => tint(image, op.color) },
  'hue-shift': { touches: ['colors'], run: (image, op) => hueRotate(image, op.degrees) },
  saturation: { touches: ['colors'], run: (image, op) => saturation(image, op.factor) },
  warmth: { touches: ['colors'], run: (image, op) => warmth(image, op.amount) },
  grayscale: { touches: ['colors', 'style'], run: (image) => saturation(image, 0) },
  invert: { touches: ['colors', 'style'], run: (image) => invert(image) },
  lightness: { touches: [], run: (image, op) => lightness(image, op.amount) },
  contrast: { touches: [], run: (image, op) => contrast(image, op.factor) },
  'round-corners': { touches: ['shapes'], run: (image, op) => roundCorners(image, op.radius) },
};

const EXECUTION_ORDER = Object.keys(OPERATIONS) as RefineOperationKind[];

/** Position of an operation kind in the execution order. */
export function stageOf(kind: RefineOperationKind): number {
  return EXECUTION_ORDER.indexOf(kind);
}

/** Whether an operation changes any of the preserved aspects. */
export function touchesAny(kind: RefineOperationKind, preserve: ReadonlySet<PreserveAspect>): boolean {
  return OPERATIONS[kind].touches.some((aspect) => preserve.has(aspect));
}

/** Runs one operation on the pixels (in place where it can). */
export async function runOperation(image: RgbaImage, operation: RefineOperation): Promise<RgbaImage> {
  const entry = OPERATIONS[operation.kind] as OperationEntry<RefineOperationKind>;
  return entry.run(image, operation);
}
