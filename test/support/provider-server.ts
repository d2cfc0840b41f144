/**
 * A loopback HTTP server for the HTTP provider tests. Routes by `METHOD /path`, records every
 * request (headers and raw body; JSON and multipart readers below) and offers the kinds of answers
 * providers give: JSON, raw bytes, a stalled answer, an endless stream, a dropped connection.
 * Unknown routes answer 404.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/ai/image_generation`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface ProviderServer {
  /** `http://127.0.0.1:{port}`. */
  origin: string;
  readonly requests: RecordedRequest[];
  /** Sets or replaces the handler of `METHOD /path`. */
  on(method: string, path: string, handler: Handler): void;
  /** Requests to one path, in arrival order. */
  requestsTo(path: string): RecordedRequest[];
  stop(): Promise<void>;
}

export async function startProviderServer(): Promise<ProviderServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    const handler = routes.get(`${recorded.method} ${recorded.path}`);
    try {
      if (handler) await handler(recorded, res);
      else sendJson(res, 404, { error: { message: `no route for ${recorded.method} ${recorded.path}` } });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `test handler failed: ${String(err)}` } });
      else res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    on: (method, path, handler) => void routes.set(`${method} ${path}`, handler),
    requestsTo: (path) => requests.filter((r) => r.path === path),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An origin where nothing listens (a server started and stopped): connections are refused. */
export async function closedOrigin(): Promise<string> {
  const server = await startProviderServer();
  await server.stop();
  return server.origin;
}

export function readJson(req: RecordedRequest): Record<string, unknown> {
  return JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
}

/** The multipart/form-data body of a request, parsed by the platform's own parser. */
export async function readForm(req: RecordedRequest): Promise<FormData> {
  return new Response(req.body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendBytes(res: ServerResponse, bytes: Buffer, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.end(bytes);
}

/** Answers 200 `{}` only after `ms`, unless the client hangs up first (the usual case in timeout tests). */
export async function stall(res: ServerResponse, ms: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (!res.destroyed) sendJson(res, 200, {});
}

/** Resolves when the response can take more data or is closed. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** Streams up to `totalBytes` in 64 KiB chunks with no Content-Length, stopping when the client hangs up. */
export async function streamBytes(res: ServerResponse, totalBytes: number, contentType: string): Promise<void> {
  res.writeHead(200, { 'content-type': contentType });
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  for (let sent = 0; sent < totalBytes && !res.destroyed; sent += chunk.byteLength) {
    if (!res.write(chunk)) await writable(res);
  }
  res.end();
}
