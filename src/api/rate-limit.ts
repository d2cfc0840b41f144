/**
 * Per-user limit on run starts: at most `perMinute` POSTs that start a run in any sliding
 * 60-second window (0 = off). Over the limit → 429 with `Retry-After` (seconds). In memory: one
 * API process; behind several replicas each counts its own share.
 */
import type { RequestHandler } from 'express';
import { userIdOf } from './context.js';
import { HttpError } from './errors.js';

const WINDOW_MS = 60_000;

export interface StartRateLimiter {
  /** Records an attempt; returns the seconds to wait when over the limit, else null. */
  take(userId: string): number | null;
}

export function createStartRateLimiter(perMinute: number, now: () => number = Date.now): StartRateLimiter {
  const attempts = new Map<string, number[]>();
  let lastSweep = now();

  const sweep = (t: number) => {
    if (t - lastSweep < WINDOW_MS) return;
    lastSweep = t;
    for (const [user, times] of attempts) if (times.every((s) => t - s >= WINDOW_MS)) attempts.delete(user);
  };

  return {
    take(userId) {
      if (perMinute <= 0) return null;
      const t = now();
      sweep(t);
      const recent = (attempts.get(userId) ?? []).filter((s) => t - s < WINDOW_MS);
      if (recent.length >= perMinute) {
        attempts.set(userId, recent);
        return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - t) / 1000));
      }
      recent.push(t);
      attempts.set(userId, recent);
      return null;
    },
  };
}

export function limitStarts(limiter: StartRateLimiter): RequestHandler {
  return (_req, res, next) => {
    const retryAfter = limiter.take(userIdOf(res));
    if (retryAfter === null) return next();
    throw new HttpError(429, 'rate_limited', `Too many runs started; try again in ${retryAfter} s`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  };
}
