/**
 * Refinement as deterministic image operations: a refinement prompt ("make it darker and rounder")
 * is parsed into operations (plan.ts, by the grammar in grammar.ts), the ones touching a preserved
 * aspect are dropped, and the rest run on the decoded RGBA pixels in a fixed order (operations.ts,
 * one module per operation in ops/). Same image + prompt + preserved aspects → same bytes.
 */
import type { PreserveAspect } from '../../domain/inputs.js';
import { decodeRgba, sharpOfRgba, type RgbaImage } from '../rgba.js';
import { runOperation } from './operations.js';
import { planRefineOperations } from './plan.js';

export type { PlannedOperation, RefineOperation, RefineOperationKind, TintName } from './operation.js';
export { parseRefinePrompt, planRefineOperations } from './plan.js';

export interface RefinedPng {
  bytes: Buffer;
  width: number;
  height: number;
  /** What was done, in words a user understands, in the order it was done. */
  operations: string[];
}

/** PNG of the pixels; alpha is written when the input had it or an operation made pixels see-through. */
async function encodePng(image: RgbaImage, keepAlpha: boolean): Promise<Buffer> {
  let translucent = keepAlpha;
  for (let i = 3; !translucent && i < image.data.length; i += 4) translucent = image.data[i]! < 255;
  const pipeline = sharpOfRgba(image);
  return (translucent ? pipeline : pipeline.removeAlpha()).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
}

/**
 * Refines an image by a prompt: parses it, drops operations that touch `preserveAspects`, runs the
 * rest, and returns a PNG at the input size with the operations applied (human words).
 */
export async function refineImageByPrompt(
  bytes: Uint8Array,
  prompt: string,
  preserveAspects: readonly PreserveAspect[] = [],
): Promise<RefinedPng> {
  const plan = planRefineOperations(prompt, preserveAspects);
  const { image: decoded, hadAlpha } = await decodeRgba(bytes);
  let image = decoded;
  for (const { operation } of plan) image = await runOperation(image, operation);
  return {
    bytes: await encodePng(image, hadAlpha),
    width: image.width,
    height: image.height,
    operations: plan.map((p) => p.label),
  };
}
