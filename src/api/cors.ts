/**
 * CORS for browser apps on other origins (the `cors` package): only the configured origins, with
 * credentials, the request headers the original frontend and our clients send, and the response
 * headers they read. Mounted first on the app, so a preflight is answered before auth and every
 * response — errors included — carries the headers.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Cache-Control', 'Idempotency-Key', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = [
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'X-Request-Id',
  'Content-Disposition',
  'Location',
];
/** Browsers cache a preflight answer this long (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

export function corsForOrigins(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    // Echo an allowed Origin (credentials forbid "*"); anything else gets no CORS headers at all.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
}
