/**
 * Listening and graceful shutdown. Slow clients are cut: the request headers must arrive within
 * `headersTimeoutMs` and the whole request within `requestTimeoutMs` (408 then; responses, event
 * streams included, are not limited by these).
 * `close()`: stop accepting connections, end open event streams
 * (nothing more is sent), let in-flight requests finish (idle keep-alive sockets are closed), then
 * resolve. After `forceAfterMs` the remaining connections are cut.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../logger.js';
import { isLoopbackHost } from './loopback-guard.js';
import { eventStreamsOf } from './sse.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Cut connections still open this long after close() (default 10 s). */
  forceAfterMs?: number;
  /** Time to receive the request headers (default 20 s). */
  headersTimeoutMs?: number;
  /** Time to receive the whole request, body included (default 30 s). */
  requestTimeoutMs?: number;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;


/** Without auth the API acts for one local user, so it must only be reachable from this machine. */
export function resolveBindHost(host: string, authConfigured: boolean, logger: Logger): string {
  if (authConfigured || isLoopbackHost(host)) return host;
  logger.warn({ requested_host: host, bound_host: '127.0.0.1' }, 'no API auth configured (SUPABASE_JWT_SECRET / SUPABASE_JWKS_URL): binding to 127.0.0.1 only');
  return '127.0.0.1';
}

function urlOf(server: Server): { url: string; port: number } {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, port: address.port };
}

export async function listen(app: Express, options: ListenOptions): Promise<RunningServer> {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often enough to matter.
  const connectionsCheckingInterval = Math.max(50, Math.min(5_000, Math.floor(headersTimeout / 4)));
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval }, app);
  let inFlight = 0;
  let closing: Promise<void> | null = null;

  server.on('request', (_req, res) => {
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      if (closing) server.closeIdleConnections();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { url, port } = urlOf(server);

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      options.logger.info({ in_flight: inFlight }, 'API stopping');
      const force = setTimeout(() => {
        options.logger.warn({ in_flight: inFlight }, 'API shutdown grace time over; closing remaining connections');
        server.closeAllConnections();
      }, options.forceAfterMs ?? 10_000);
      server.close((err) => {
        clearTimeout(force);
        if (err) reject(err);
        else resolve();
      });
      eventStreamsOf(app).closeAll();
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url, port, close };
}
