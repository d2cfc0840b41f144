/** A tiny SSE reader over node:http for tests: collects events and comments until the stream ends. */
import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseConnection {
  response: IncomingMessage;
  events: SseEvent[];
  comments: string[];
  /** The last `retry:` field the server sent (the client's reconnection delay, ms). */
  readonly retryMs: number | undefined;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `predicate` holds for the events seen so far. */
  waitFor(predicate: (events: SseEvent[], comments: string[]) => boolean): Promise<void>;
  /** Client-side disconnect. */
  abort(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      let retryMs: number | undefined;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('retry: ')) retryMs = Number(line.slice(7));
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) as unknown });
        }
        for (const wake of [...waiters]) wake();
      });
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
        response.on('error', () => done());
      });
      resolve({
        response,
        events,
        comments,
        get retryMs() {
          return retryMs;
        },
        ended,
        abort: () => req.destroy(),
        waitFor: (predicate) =>
          new Promise<void>((done, fail) => {
            const check = () => {
              if (predicate(events, comments)) {
                waiters.delete(check);
                done();
              }
            };
            waiters.add(check);
            check();
            void ended.then(() => {
              if (waiters.has(check)) {
                waiters.delete(check);
                if (predicate(events, comments)) done();
                else fail(new Error(`stream ended before the expected events: ${JSON.stringify(events)}`));
              }
            });
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
