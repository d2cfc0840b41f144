/** The drills' HTTP client for the app's API: one Bearer token per user, bounded requests, polling to a final state. */
import { accessToken } from './tokens.js';
import { sleep } from './ports.js';

export interface TaskBody {
  task_id: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'canceled';
  workflow_id: string | null;
  result_id: string | null;
  error_message: string | null;
  progress: { step: string; percent: number };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/** A request that never reached an answer (connection refused or reset, timeout). */
export class TransportError extends Error {}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly jwtSecret: string | undefined,
  ) {}

  headersFor(userId: string | undefined): Record<string, string> {
    return this.jwtSecret && userId ? { authorization: `Bearer ${accessToken(this.jwtSecret, userId)}` } : {};
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: { user?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...this.headersFor(options.user), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      text = await response.text();
    } catch (err) {
      throw new TransportError(`${method} ${path}: ${(err as Error).message}`, { cause: err });
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  generate(user: string, body: Record<string, unknown>, idempotencyKey?: string): Promise<ApiAnswer<TaskBody>> {
    return this.request<TaskBody>('POST', '/api/concepts/generate', {
      user,
      body,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });
  }

  task(user: string, taskId: string): Promise<ApiAnswer<TaskBody>> {
    return this.request<TaskBody>('GET', `/api/tasks/${taskId}`, { user });
  }

  cancel(user: string, taskId: string): Promise<ApiAnswer<TaskBody>> {
    return this.request<TaskBody>('POST', `/api/tasks/${taskId}/cancel`, { user });
  }

  /**
   * Polls each task until it is completed, failed or canceled (answers lost to a down app are
   * retried); throws when `deadline` passes first, naming what is still open.
   */
  async waitFinal(tasks: { user: string; taskId: string }[], deadline: number, intervalMs = 1_000): Promise<Map<string, TaskBody>> {
    const final = new Map<string, TaskBody>();
    while (final.size < tasks.length) {
      for (const { user, taskId } of tasks) {
        if (final.has(taskId)) continue;
        try {
          const answer = await this.task(user, taskId);
          if (answer.status === 200 && TERMINAL.has(answer.body.status)) final.set(taskId, answer.body);
        } catch (err) {
          if (!(err instanceof TransportError)) throw err;
        }
      }
      if (final.size === tasks.length) break;
      if (Date.now() > deadline) {
        const open = tasks.filter((t) => !final.has(t.taskId)).map((t) => t.taskId);
        throw new Error(`${open.length} of ${tasks.length} tasks not finished by the deadline: ${open.slice(0, 5).join(', ')}`);
      }
      await sleep(intervalMs);
    }
    return final;
  }
}
