/**
 * The DNS-rebinding guard of the unauthenticated mode. Without auth the API acts for the single
 * local user and listens on loopback only; a web page on another site can still reach it through a
 * hostname it re-points at 127.0.0.1, but its requests then carry that hostname in `Host` (and its
 * origin in `Origin`). So: `Host` must name a loopback host (any port), and `Origin`, when sent,
 * must be a loopback origin or one the operator allowed explicitly (CORS_ORIGINS); anything else is 403.
 */
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);

/** The host name of a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`), lower-cased. */
export function hostnameOf(hostHeader: string): string | null {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(hostHeader.trim());
  if (!match) return null;
  return (match[1] ?? match[2]!).toLowerCase();
}

function isLoopbackOrigin(origin: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''));
}

export const requireLoopbackHost = (allowedOrigins: readonly string[] = []): RequestHandler => (req, _res, next) => {
  const host = req.headers.host;
  const hostname = host === undefined ? null : hostnameOf(host);
  if (hostname === null || !isLoopbackHost(hostname)) {
    throw new HttpError(403, 'forbidden_host', 'This API runs without authentication and answers only requests addressed to localhost');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin) && !allowedOrigins.includes(origin)) {
    throw new HttpError(403, 'forbidden_origin', 'This API runs without authentication and answers only pages served from localhost');
  }
  next();
};
