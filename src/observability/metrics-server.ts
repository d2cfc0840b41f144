/**
 * One `/metrics` page per process on its own port (METRICS_HOST:METRICS_PORT): prom-client's
 * registry, followed by the Temporal SDK's metrics when this process runs a worker.
 *
 * Why one page and not two endpoints: the Temporal Core runtime serves its Prometheus exporter on
 * its own HTTP listener. We bind that listener to a private loopback port and append its text to
 * ours, so an operator scrapes one target per process. The two sets never share a name (ours start
 * with `conceptflow_`, `process_` or `nodejs_`; Core's with `temporal_`), so the pages concatenate
 * into one valid exposition.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Logger } from '../logger.js';
import type { Registry } from './metrics.js';

const SDK_SCRAPE_TIMEOUT_MS = 2_000;

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics` */
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** The Core runtime's Prometheus exporter (`http://127.0.0.1:PORT/metrics`), when a worker runs here. */
  sdkMetricsUrl?: string;
  logger: Logger;
}

/** A free TCP port on loopback for the Core exporter (bound and released right before Runtime.install). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function sdkMetrics(url: string, log: Logger): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not read the Temporal SDK metrics');
    return '# Temporal SDK metrics unavailable on this scrape\n';
  }
}

/** The whole page: our registry, then the SDK's exporter text. */
export async function renderMetrics(registry: Registry, sdkMetricsUrl: string | undefined, log: Logger): Promise<string> {
  const ours = await registry.metrics();
  if (!sdkMetricsUrl) return ours;
  const sdk = await sdkMetrics(sdkMetricsUrl, log);
  return `${ours.endsWith('\n') ? ours : `${ours}\n`}${sdk}`;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const log = options.logger.child({ component: 'metrics' });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at GET /metrics\n');
      return;
    }
    renderMetrics(options.registry, options.sdkMetricsUrl, log).then(
      (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
      (err: unknown) => {
        log.error({ err }, 'could not render metrics');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot serve metrics on ${options.host}:${options.port} (${err.code ?? err.message}); set METRICS_PORT to a free port, or 0 to turn metrics off`));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/metrics`;
  log.info({ metrics: url, temporal_sdk_metrics: options.sdkMetricsUrl ?? null }, 'metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
