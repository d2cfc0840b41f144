/**
 * P4: API latency while generations run. autocannon drives two loads at once for the same window,
 * each at a fixed rate with coordinated-omission correction: POST /api/concepts/generate, each
 * request from a fresh user (so every one starts a run), and GET /api/tasks/:id of the tasks those
 * POSTs made (a client polling its own active task, with its own token).
 */
import autocannon from 'autocannon';
import { generationRequest, newUser, type BenchClient, type User } from './api-client.js';
import { percentile } from './stats.js';

export interface LoadFigures {
  /** Answered within the window. */
  requests: number;
  /** Sent but not answered when the window closed (they count in p99 with their age then). */
  unanswered: number;
  ratePerS: number;
  targetRatePerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Status code → count, for anything but the expected one; plus transport errors and timeouts. */
  unexpected: Record<string, number>;
}

export interface ApiLoad {
  post: LoadFigures;
  get: LoadFigures;
  /** The status of the polled tasks as the GETs found them. */
  polledStates: Record<string, number>;
  seconds: number;
}

/**
 * Our own clock on every request beside autocannon's: autocannon reports only answered requests,
 * so a server slower than the window would look fast. Requests still open at the end count with
 * their age then (a lower bound), and p99 is the worse of ours and autocannon's (which corrects
 * for coordinated omission).
 */
class Timings {
  readonly answered: number[] = [];
  private readonly open = new Map<object, number>();
  sent(context: object) {
    this.open.set(context, performance.now());
  }
  answeredFor(context: object) {
    const sentAt = this.open.get(context);
    if (sentAt === undefined) return;
    this.open.delete(context);
    this.answered.push(performance.now() - sentAt);
  }
  stillOpen(): number[] {
    const now = performance.now();
    return [...this.open.values()].map((sentAt) => now - sentAt);
  }
}

function figures(result: autocannon.Result, target: number, expected: number, statuses: Map<number, number>, timings: Timings): LoadFigures {
  const unexpected: Record<string, number> = {};
  for (const [status, n] of statuses) if (status !== expected) unexpected[String(status)] = n;
  if (result.errors) unexpected.errors = result.errors;
  if (result.timeouts) unexpected.timeouts = result.timeouts;
  const open = timings.stillOpen();
  const all = [...timings.answered, ...open];
  return {
    requests: timings.answered.length,
    unanswered: open.length,
    ratePerS: timings.answered.length / result.duration,
    targetRatePerS: target,
    p50Ms: Math.max(result.latency.p50 || 0, percentile(all, 50) || 0),
    p99Ms: Math.max(result.latency.p99 || 0, percentile(all, 99) || 0),
    maxMs: Math.max(result.latency.max || 0, ...all),
    unexpected,
  };
}

const tally = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);

export async function measureApiLoad(
  client: BenchClient,
  jwtSecret: string,
  options: { seconds: number; postRate: number; getRate: number; seedTasks: number },
): Promise<ApiLoad> {
  const url = client.baseUrl;
  // Tokens are signed before the clock starts: the load generator's own work stays out of the window.
  const users: User[] = Array.from({ length: Math.ceil(options.postRate * options.seconds * 1.2) + 10 }, () => newUser(jwtSecret));
  const active: { taskId: string; token: string }[] = [];
  // A few runs already going when the load starts, so the first GETs have active tasks to read.
  for (let i = 0; i < options.seedTasks; i++) {
    const started = await client.start(jwtSecret, 40_000 + i);
    active.push({ taskId: started.task.task_id, token: started.user.token });
  }

  let posted = 0;
  let polled = 0;
  const postStatuses = new Map<number, number>();
  const getStatuses = new Map<number, number>();
  const postTimings = new Timings();
  const getTimings = new Timings();
  /** What state the polled tasks were in (pending, processing, completed…). */
  const polledStates = new Map<string, number>();
  const timeout = 10;

  const postRun = autocannon({
    url,
    connections: 64,
    overallRate: options.postRate,
    duration: options.seconds,
    timeout,
    requests: [
      {
        method: 'POST',
        path: '/api/concepts/generate',
        // One request in flight per connection (no pipelining), so the connection's context
        // carries the user of the request its next response answers.
        setupRequest: (request, context) => {
          const user = users[posted % users.length]!;
          const body = JSON.stringify(generationRequest(30_000 + posted));
          posted += 1;
          (context as { user?: User }).user = user;
          postTimings.sent(context);
          return { ...request, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` } };
        },
        onResponse: (status, body, context) => {
          postTimings.answeredFor(context);
          tally(postStatuses, status);
          const { user } = context as { user?: User };
          if (status === 202 && user) active.push({ taskId: (JSON.parse(body) as { task_id: string }).task_id, token: user.token });
        },
      },
    ],
  });
  const getRun = autocannon({
    url,
    connections: 64,
    overallRate: options.getRate,
    duration: options.seconds,
    timeout,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context) => {
          getTimings.sent(context);
          // Round-robin over the most recent active tasks (the newest are the ones still running).
          const recent = active.slice(-50);
          const target = recent[polled % recent.length]!;
          polled += 1;
          return { ...request, path: `/api/tasks/${target.taskId}`, headers: { authorization: `Bearer ${target.token}` } };
        },
        onResponse: (status, body, context) => {
          getTimings.answeredFor(context);
          tally(getStatuses, status);
          if (status === 200) {
            const state = (JSON.parse(body) as { status: string }).status;
            polledStates.set(state, (polledStates.get(state) ?? 0) + 1);
          }
        },
      },
    ],
  });
  const [postResult, getResult] = await Promise.all([postRun, getRun]);
  return {
    post: figures(postResult, options.postRate, 202, postStatuses, postTimings),
    get: figures(getResult, options.getRate, 200, getStatuses, getTimings),
    polledStates: Object.fromEntries(polledStates),
    seconds: options.seconds,
  };
}
