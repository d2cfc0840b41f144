/**
 * Retrying a connection until the Temporal server answers: exponential backoff with jitter, a log
 * line per failed attempt, stopped by an abort signal (shutdown). Used by the API's client holder
 * and by the worker, so neither exits while Temporal is still starting or briefly down.
 */
import type { Logger } from '../logger.js';

export interface RetryOptions {
  logger: Logger;
  /** Shutdown: the wait ends and retryUntilConnected rejects with the signal's reason. */
  signal: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export const DEFAULT_RETRY = { initialDelayMs: 500, maxDelayMs: 15_000 };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `attempt` until it resolves; between failures waits 0.5 s, 1 s, 2 s … up to 15 s (±20 %). */
export async function retryUntilConnected<T>(what: string, attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const initial = options.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  for (let n = 1; ; n++) {
    options.signal.throwIfAborted();
    try {
      const value = await attempt();
      if (n > 1) options.logger.info({ attempts: n }, `${what}: connected`);
      return value;
    } catch (err) {
      options.signal.throwIfAborted();
      const delay = Math.round(Math.min(max, initial * 2 ** (n - 1)) * (0.8 + Math.random() * 0.4));
      options.logger.warn({ attempt: n, retry_in_ms: delay, err: (err as Error)?.message ?? String(err) }, `${what}: not reachable yet, retrying`);
      await sleep(delay, options.signal);
    }
  }
}
