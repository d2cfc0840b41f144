/**
 * One poll per watched key (a task), shared by every event stream that follows it: however many
 * streams a task has, the database and Temporal are asked once per interval. The poll starts with
 * the first subscriber, stops when the last one leaves, and ends (telling every subscriber) when
 * the value is final or gone. A subscriber that joins a running poll gets the latest value at once.
 */
import type { EventStream } from './sse.js';

export interface PollSubscriber<T> {
  /** A loaded, not final value (each subscriber decides whether it changed for it). */
  next(value: T, json: string): void;
  /** The final value, or null when it no longer exists; the poll has stopped. */
  end(value: T | null): void;
}

export interface SharedPollerOptions<T> {
  intervalMs: number;
  isFinal: (value: T) => boolean;
  /** A failed load is reported here and retried on the next tick. */
  onLoadError: (key: string, err: unknown) => void;
}

class Poll<T> {
  readonly subscribers = new Set<PollSubscriber<T>>();
  private latest: { value: T; json: string } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly key: string,
    private readonly load: () => Promise<T | null>,
    private readonly options: SharedPollerOptions<T>,
    private readonly onStop: () => void,
  ) {}

  start(): void {
    void this.tick();
  }

  add(subscriber: PollSubscriber<T>): void {
    this.subscribers.add(subscriber);
    if (this.latest) subscriber.next(this.latest.value, this.latest.json);
  }

  remove(subscriber: PollSubscriber<T>): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.onStop();
  }

  private async tick(): Promise<void> {
    let value: T | null;
    try {
      value = await this.load();
    } catch (err) {
      if (!this.stopped) this.options.onLoadError(this.key, err);
      return this.schedule();
    }
    if (this.stopped) return;
    if (value === null || this.options.isFinal(value)) {
      this.stop();
      for (const subscriber of [...this.subscribers]) subscriber.end(value);
      this.subscribers.clear();
      return;
    }
    this.latest = { value, json: JSON.stringify(value) };
    for (const subscriber of [...this.subscribers]) subscriber.next(this.latest.value, this.latest.json);
    this.schedule();
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.intervalMs);
  }
}

export class SharedPoller<T> {
  private readonly polls = new Map<string, Poll<T>>();

  constructor(private readonly options: SharedPollerOptions<T>) {}

  /** Polls running now (one per key with subscribers). */
  get activePolls(): number {
    return this.polls.size;
  }

  /**
   * Follows `key`; `load` is used only if this subscriber starts the poll (every subscriber of a
   * key must load the same thing). Returns the unsubscribe function.
   */
  subscribe(key: string, load: () => Promise<T | null>, subscriber: PollSubscriber<T>): () => void {
    let poll = this.polls.get(key);
    if (!poll) {
      const created = new Poll(key, load, this.options, () => {
        if (this.polls.get(key) === created) this.polls.delete(key);
      });
      this.polls.set(key, created);
      poll = created;
      poll.add(subscriber);
      poll.start();
    } else {
      poll.add(subscriber);
    }
    const joined = poll;
    return () => joined.remove(subscriber);
  }
}

/**
 * Streams a shared poll: `progress` whenever the value differs from what this stream last got,
 * `done` with the final value, then the end; a value that disappears ends the stream without `done`.
 */
export function streamSharedPoll<T>(stream: EventStream, poller: SharedPoller<T>, key: string, load: () => Promise<T | null>): void {
  let lastSent: string | undefined;
  const unsubscribe = poller.subscribe(key, load, {
    next(value, json) {
      if (json === lastSent) return;
      stream.send('progress', value);
      lastSent = json;
    },
    end(value) {
      if (value !== null) stream.send('done', value);
      stream.close();
    },
  });
  stream.onClose(unsubscribe);
}
