/**
 * Follows a task over its Server-Sent Events stream (GET /api/tasks/:id/events) with fetch rather
 * than EventSource, so the bearer token goes in a header. Every `progress` and the final `done`
 * reach `onTask`; a stream that ends early (server restart, dropped connection) is reopened with
 * backoff — the server answers a reopened stream with the current state at once. Bounded: after
 * MAX_RETRIES failures in a row it gives up with a readable error.
 */
import { createParser } from 'eventsource-parser';
import { ApiError, apiFetch, errorFromResponse } from './http';
import type { TaskView } from './types';

export const MAX_RETRIES = 8;
const backoffMs = (attempt: number) => Math.min(8_000, 500 * 2 ** (attempt - 1));

export interface FollowOptions {
  signal: AbortSignal;
  onTask: (task: TaskView) => void;
  /** `live` once a stream is open; `reconnecting` while waiting to reopen one. */
  onConnection?: (state: 'live' | 'reconnecting') => void;
}

/** Reads one stream; the final task when `done` arrived, null when the stream ended without it. */
async function readStream(body: ReadableStream<Uint8Array>, onTask: (task: TaskView) => void): Promise<TaskView | null> {
  let final: TaskView | null = null;
  const parser = createParser({
    onEvent(event) {
      if (event.event !== 'progress' && event.event !== 'done') return;
      const task = JSON.parse(event.data) as TaskView;
      if (event.event === 'done') final = task;
      onTask(task);
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    while (final === null) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return final;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

/** Resolves with the task in its final state; rejects with an ApiError the page can show. */
export async function followTask(taskId: string, options: FollowOptions): Promise<TaskView> {
  let failures = 0;
  for (;;) {
    try {
      const response = await apiFetch(`/api/tasks/${encodeURIComponent(taskId)}/events`, {
        headers: { accept: 'text/event-stream' },
        signal: options.signal,
      });
      if (!response.ok || !response.body) throw await errorFromResponse(response);
      options.onConnection?.('live');
      failures = 0;
      const final = await readStream(response.body, options.onTask);
      if (final) return final;
    } catch (err) {
      if (options.signal.aborted) throw err;
      // The task does not exist or is not ours, or the request is refused: retrying will not help.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) throw err;
    }
    failures += 1;
    if (failures > MAX_RETRIES) {
      throw new ApiError('Lost the connection to the server while following this run. Reload the page to see where it is.', 0, 'stream_lost');
    }
    options.onConnection?.('reconnecting');
    await sleep(backoffMs(failures), options.signal);
  }
}
