/**
 * Server-Sent Events mechanics: open a stream (headers, heartbeat comments), send named events,
 * poll a loader and send `progress` on every change and `done` with the final value, stop on
 * client disconnect, and let the server end every open stream on shutdown.
 */
import type { Request, Response } from 'express';

export interface EventStream {
  readonly closed: boolean;
  send(event: string, data: unknown): void;
  /** Ends the response; idempotent. Sends nothing more. */
  close(): void;
  /** Resolves after `ms`, or at once when the stream closes. */
  pause(ms: number): Promise<void>;
}

/** The open streams of one app, so shutdown can end them instead of waiting for clients. */
export class EventStreamRegistry {
  private readonly streams = new Set<EventStream>();

  get size(): number {
    return this.streams.size;
  }

  add(stream: EventStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
  }
}

export function openEventStream(req: Request, res: Response, options: { heartbeatMs: number; registry?: EventStreamRegistry }): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let closed = false;
  const wakers = new Set<() => void>();
  const write = (chunk: string) => {
    if (!closed && !res.writableEnded) res.write(chunk);
  };
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);

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
      unregister();
      for (const wake of wakers) wake();
      wakers.clear();
      if (!res.writableEnded) res.end();
    },
    pause(ms) {
      if (closed) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
      });
    },
  };
  const unregister = options.registry?.add(stream) ?? (() => false);
  // The client went away (or the socket died): stop heartbeats and polling.
  req.on('close', () => stream.close());
  res.on('close', () => stream.close());
  write(': stream open\n\n');
  return stream;
}

export interface PollOptions<T> {
  /** The current value; null when it no longer exists (the stream then just ends). */
  load: () => Promise<T | null>;
  isFinal: (value: T) => boolean;
  intervalMs: number;
  onLoadError: (err: unknown) => void;
}

/**
 * Sends `progress` with the value whenever it changes (compared as JSON), then `done` with the
 * final value, then ends the stream. A failed load is reported and retried on the next tick.
 */
export async function streamUntilFinal<T>(stream: EventStream, options: PollOptions<T>): Promise<void> {
  let lastSent: string | undefined;
  while (!stream.closed) {
    let value: T | null;
    try {
      value = await options.load();
    } catch (err) {
      options.onLoadError(err);
      await stream.pause(options.intervalMs);
      continue;
    }
    if (stream.closed) return;
    if (value === null) return stream.close();
    if (options.isFinal(value)) {
      stream.send('done', value);
      return stream.close();
    }
    const json = JSON.stringify(value);
    if (json !== lastSent) {
      stream.send('progress', value);
      lastSent = json;
    }
    await stream.pause(options.intervalMs);
  }
}

const REGISTRY_KEY = 'conceptflowEventStreams';

/** The app's open-stream registry (created on first use), shared by the routes and server.ts. */
export function eventStreamsOf(app: { locals: Record<string, unknown> }): EventStreamRegistry {
  const existing = app.locals[REGISTRY_KEY];
  if (existing instanceof EventStreamRegistry) return existing;
  const registry = new EventStreamRegistry();
  app.locals[REGISTRY_KEY] = registry;
  return registry;
}
