/**
 * What the benchmark does as a client: one fresh user (an HS256 access token) per generation,
 * POST /api/concepts/generate, wait for the run to finish without polling the API (a long poll on
 * the workflow result, which costs the worker nothing), then read the finished task row.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { userAccessToken } from '../../test/support/jwt.js';

export const NUM_PALETTES = 7;

const LOGOS = ['a fox made of leaves', 'a paper plane over a city', 'a coffee cup with steam', 'a mountain and a rising sun', 'an owl reading a book', 'a lighthouse on a rock', 'a bicycle wheel and a gear', 'a whale tail in waves'];
const THEMES = ['warm autumn forest', 'calm ocean morning', 'bold neon nightlife', 'soft pastel spring', 'earthy desert dusk', 'crisp nordic winter', 'vintage newspaper', 'tropical fruit market'];

/** The i-th request body: varied descriptions (so logos differ), the same for the direct runs. */
export function generationRequest(i: number) {
  return {
    logo_description: `${LOGOS[i % LOGOS.length]} #${i}`,
    theme_description: THEMES[Math.floor(i / LOGOS.length) % THEMES.length]!,
    num_palettes: NUM_PALETTES,
  };
}

export interface User {
  id: string;
  token: string;
}

export const newUser = (jwtSecret: string): User => {
  const id = randomUUID();
  return { id, token: userAccessToken(jwtSecret, id) };
};

export interface TaskRow {
  task_id: string;
  status: string;
  workflow_id: string;
  created_at: string;
  updated_at: string;
  error_message: string | null;
}

export interface Finished {
  taskId: string;
  workflowId: string;
  postedAt: number;
  /** The row's updated_at when it turned `completed` (or failed), in ms since the epoch. */
  finishedAt: number;
  status: string;
  error: string | null;
}

export class BenchClient {
  constructor(
    readonly baseUrl: string,
    private readonly temporal: Client,
  ) {}

  async post(user: User, body: unknown): Promise<{ status: number; task: TaskRow }> {
    const response = await fetch(`${this.baseUrl}/api/concepts/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const json = (await response.json()) as TaskRow;
    return { status: response.status, task: json };
  }

  async task(user: User, taskId: string): Promise<TaskRow> {
    const response = await fetch(`${this.baseUrl}/api/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${user.token}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) throw new Error(`GET /api/tasks/${taskId}: ${response.status} ${await response.text()}`);
    return (await response.json()) as TaskRow;
  }

  /** Starts a generation for a fresh user; throws unless the API answers 202. */
  async start(jwtSecret: string, i: number): Promise<{ user: User; task: TaskRow; postedAt: number }> {
    const user = newUser(jwtSecret);
    const postedAt = Date.now();
    const { status, task } = await this.post(user, generationRequest(i));
    if (status !== 202) throw new Error(`POST /api/concepts/generate answered ${status}: ${JSON.stringify(task).slice(0, 300)}`);
    return { user, task, postedAt };
  }

  /** Waits for the run to end (bounded), then reads the finished row. */
  async finish(started: { user: User; task: TaskRow; postedAt: number }, timeoutMs = 600_000): Promise<Finished> {
    const handle = this.temporal.workflow.getHandle(started.task.workflow_id);
    await this.temporal.withDeadline(Date.now() + timeoutMs, () => handle.result()).catch(() => undefined);
    const row = await this.task(started.user, started.task.task_id);
    return {
      taskId: row.task_id,
      workflowId: row.workflow_id,
      postedAt: started.postedAt,
      finishedAt: Date.parse(row.updated_at),
      status: row.status,
      error: row.error_message,
    };
  }
}

/** Throws when any run did not complete: the figures are only meaningful over successful runs. */
export function assertAllCompleted(runs: Finished[], what: string): void {
  const bad = runs.filter((r) => r.status !== 'completed');
  if (bad.length > 0) {
    throw new Error(`${what}: ${bad.length}/${runs.length} runs did not complete, e.g. ${bad[0]!.taskId}: ${bad[0]!.status} ${bad[0]!.error ?? ''}`);
  }
}
