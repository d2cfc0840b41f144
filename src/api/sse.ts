/**
 * Server-Sent Events mechanics: admit a stream (per-user and total caps, else 429), open it
 * (headers, `retry:` for the client's reconnection delay, heartbeat comments), send named events,
 * end it at its maximum lifetime (the client reconnects and gets the current state at once), stop
 * on client disconnect, and let the server end every open stream on shutdown.
 */
import type { Request, Response } from 'express';
import { HttpError } from './errors.js';

export interface EventStream {
  readonly closed: boolean;
  send(event: string, data: unknown): void;
  /** Ends the response; idempotent. Sends nothing more. */
  close(): void;
  /** Runs `fn` once when the stream closes (at once if it already has). */
  onClose(fn: () => void): void;
}

export interface StreamLimits {
  /** Open streams one user may hold at once (beyond: 429). */
  perUser: number;
  /** Open streams of the whole process (beyond: 429). */
  total: number;
  /** A stream is ended after this long; EventSource clients reconnect by themselves. */
  maxLifetimeMs: number;
  /** Sent as `retry:`: how long a client waits before reconnecting, and the 429's Retry-After. */
  retryMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 10, total: 500, maxLifetimeMs: 10 * 60_000, retryMs: 3_000 };

/** The open streams of one app: admission against the caps, and shutdown ending them all. */
export class EventStreamRegistry {
  readonly limits: StreamLimits;
  private readonly streams = new Map<EventStream, string>();
  private readonly perUser = new Map<string, number>();

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
  }

  get size(): number {
    return this.streams.size;
  }

  countFor(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  /** Throws a 429 when this user, or the process, already holds the most streams allowed. */
  admit(userId: string): void {
    const retryAfter = String(Math.max(1, Math.ceil(this.limits.retryMs / 1000)));
    const refuse = (message: string) => new HttpError(429, 'too_many_streams', message, { headers: { 'Retry-After': retryAfter } });
    if (this.countFor(userId) >= this.limits.perUser) {
      throw refuse(`You already have ${this.limits.perUser} open event streams; close one or poll GET /api/tasks/:id instead`);
    }
    if (this.streams.size >= this.limits.total) throw refuse('The server has too many open event streams; try again shortly');
  }

  add(stream: EventStream, userId: string): () => void {
    this.streams.set(stream, userId);
    this.perUser.set(userId, this.countFor(userId) + 1);
    return () => {
      if (!this.streams.delete(stream)) return;
      const left = this.countFor(userId) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  closeAll(): void {
    for (const stream of [...this.streams.keys()]) stream.close();
  }
}

export interface OpenStreamOptions {
  heartbeatMs: number;
  registry: EventStreamRegistry;
  userId: string;
}

/** Admits (or throws 429 before anything is sent) and opens an event stream on `res`. */
export function openEventStream(req: Request, res: Response, options: OpenStreamOptions): EventStream {
  const { registry } = options;
  registry.admit(options.userId);
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let closed = false;
  const closeHandlers: (() => void)[] = [];
  const write = (chunk: string) => {
    if (!closed && !res.writableEnded) res.write(chunk);
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
  const lifetime = setTimeout(() => {
    write(': stream lifetime reached; reconnect for the current state\n\n');
    stream.close();
  }, registry.limits.maxLifetimeMs);

  const stream: EventStream = {
    get closed() {
      return closed;
    },
    send(event, data) {
      write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      unregister();
      for (const fn of closeHandlers.splice(0)) fn();
      if (!res.writableEnded) res.end();
    },
    onClose(fn) {
      if (closed) fn();
      else closeHandlers.push(fn);
    },
  };
  const unregister = registry.add(stream, options.userId);
  // The client went away (or the socket died): stop heartbeats and polling.
  req.on('close', () => stream.close());
  res.on('close', () => stream.close());
  write(`retry: ${registry.limits.retryMs}\n: stream open\n\n`);
  return stream;
}

const REGISTRY_KEY = 'conceptflowEventStreams';

/**
 * The app's open-stream registry, shared by the routes and server.ts; created on first use, with
 * `limits` when given then.
 */
export function eventStreamsOf(app: { locals: Record<string, unknown> }, limits?: Partial<StreamLimits>): EventStreamRegistry {
  const existing = app.locals[REGISTRY_KEY];
  if (existing instanceof EventStreamRegistry) return existing;
  const registry = new EventStreamRegistry(limits);
  app.locals[REGISTRY_KEY] = registry;
  return registry;
}
