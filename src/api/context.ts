/**
 * Per-request context: a request id (`X-Request-Id`, kept when the client sends a sane one), a
 * pino child logger carrying it, basic security headers, and one access-log line per request.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId?: string;
      log?: Logger;
      /** Set by the auth middleware on every /api route that needs a user. */
      userId?: string;
    }
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ request_id: requestId });
    res.locals.requestId = requestId;
    res.locals.log = log;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, duration_ms: Math.round(durationMs) }, 'request');
    });
    next();
  };
}

/** The few headers helmet would set that matter for a JSON + image API (set by hand: no new package). */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-DNS-Prefetch-Control', 'off');
  res.setHeader('X-Permitted-Cross-Domain-Policies', 'none');
  next();
};

/** The authenticated user of this request; the auth middleware guarantees it on user routes. */
export function userIdOf(res: Response): string {
  const userId = res.locals.userId;
  if (!userId) throw new Error('userIdOf called on a route without authentication');
  return userId;
}

export function logOf(res: Response): Logger {
  const log = res.locals.log;
  if (!log) throw new Error('logOf called before requestContext');
  return log;
}
