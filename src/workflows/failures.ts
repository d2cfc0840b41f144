/**
 * Telling failures apart by type, never by message text: what failed (the activity's own
 * ApplicationFailure under the SDK's ActivityFailure wrapper), its type, and whether it is a
 * cancellation. Deterministic workflow code.
 */
import { TimeoutType } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import { toReadableErrorMessage } from '../domain/errors.js';

export interface FailureInfo {
  /** Readable: what the failing step reported, without the SDK's wrapper text. */
  message: string;
  /** The ApplicationFailure type (a domain error type), if there is one. */
  type: string | undefined;
}

export function describeFailure(err: unknown): FailureInfo {
  let current: unknown = err;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure) return { message: toReadableErrorMessage(current.message), type: current.type ?? undefined };
  if (current instanceof TimeoutFailure) {
    const kind = current.timeoutType === undefined ? 'timeout' : TimeoutType[current.timeoutType].replace(/^TIMEOUT_TYPE_/, '').toLowerCase();
    return { message: `timed out (${kind})`, type: undefined };
  }
  return { message: toReadableErrorMessage(current instanceof Error ? current.message : String(current)), type: undefined };
}

/** Each link of a failure chain, outermost first: `ActivityFailure: …` → `ApplicationFailure[ProviderAuthError]: …` (for the log). */
export function causeChain(err: unknown): string[] {
  const chain: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && chain.length < 10) {
    const type = current instanceof ApplicationFailure && current.type ? `[${current.type}]` : '';
    chain.push(`${current.name}${type}: ${current.message}`);
    current = (current as { cause?: unknown }).cause;
  }
  if (chain.length === 0) chain.push(String(err));
  return chain;
}

/**
 * Both results of two steps run side by side, once both have settled (so that compensation never
 * runs while one of them may still be writing). Rethrows a cancellation from either first, then the
 * first step's failure, then the second's, so the step that failed is the one reported.
 */
export async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  for (const r of [ra, rb]) if (r.status === 'rejected' && isCancellation(r.reason)) throw r.reason;
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
