/**
 * A loopback server that speaks JigsawStack's wire format (src/providers/jigsawstack): `POST
 * /v1/ai/image_generation` answers a PNG, `POST /v1/prompt_engine/run` answers `{success, result:
 * {palettes}}`; both require the `x-api-key` the app was given. Each call is attributed to a run by
 * the run tag in its text (`R3 run 7`) and counted per run and endpoint, and a `decide` function
 * chooses its answer: success, a fault (500, 503, a stall past the client's timeout, a reset
 * connection, 429 with Retry-After), a rejection (400, 401), or a hold until `release()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { quadrantLogo } from '../../test/support/jigsawstack-server.js';
import { onCleanup } from './cleanup.js';

export const IMAGE_PATH = '/v1/ai/image_generation';
export const PALETTE_PATH = '/v1/prompt_engine/run';
export const DRILL_API_KEY = 'drill-jigsawstack-key';
const MAX_STALL_MS = 120_000;

export type Answer = 'ok' | '500' | '503' | 'timeout' | 'reset' | '429' | '400' | '401' | 'hold';

export interface Call {
  path: string;
  /** The run tag found in the request (`R3 run 7`), or '' when none. */
  run: string;
  /** 1 for the first call of this run to this path. */
  attempt: number;
  answer: Answer;
  arrivedAt: number;
  /** When the answer (or the reset) was sent. */
  answeredAt?: number;
  retryAfterSeconds?: number;
}

export interface DrillJigsawStack {
  origin: string;
  calls: Call[];
  /** Lets every held call answer. */
  release(): void;
  stop(): Promise<void>;
}

const RUN_TAG = /R\d+ run \d+/;

/** Twelve distinct palettes of five valid hex colours (the app takes the first N it asked for). */
const PALETTES = Array.from({ length: 12 }, (_, i) => {
  const v = (16 + i * 18).toString(16).padStart(2, '0');
  return {
    name: `Drill palette ${i + 1}`,
    colors: [`#${v}1020`, `#${v}4060`, `#${v}7090`, `#${v}a0c0`, `#${v}e0f0`],
    description: `Palette ${i + 1} from the drill's JigsawStack stand-in.`,
  };
});

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDrillJigsawStack(
  decide: (call: { path: string; run: string; attempt: number }) => Answer,
  options: { retryAfterSeconds: number } = { retryAfterSeconds: 6 },
): Promise<DrillJigsawStack> {
  const image = await quadrantLogo(256);
  const calls: Call[] = [];
  const attempts = new Map<string, number>();
  let releaseHeld: () => void = () => {};
  let held = new Promise<void>((resolve) => (releaseHeld = resolve));

  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'POST' || (path !== IMAGE_PATH && path !== PALETTE_PATH)) return send(res, 404, { success: false, message: `no route ${req.method} ${path}` });
    if (req.headers['x-api-key'] !== DRILL_API_KEY) return send(res, 401, { success: false, message: 'Invalid or missing x-api-key' });
    const run = RUN_TAG.exec(text)?.[0] ?? '';
    const attempt = (attempts.get(`${path} ${run}`) ?? 0) + 1;
    attempts.set(`${path} ${run}`, attempt);
    const answer = decide({ path, run, attempt });
    const call: Call = { path, run, attempt, answer, arrivedAt: Date.now() };
    calls.push(call);
    const answered = () => (call.answeredAt = Date.now());

    switch (answer) {
      case '500':
        answered();
        return send(res, 500, { success: false, message: 'Internal server error (drill)' });
      case '503':
        answered();
        return send(res, 503, { success: false, message: 'Service temporarily unavailable (drill)' });
      case '429':
        call.retryAfterSeconds = options.retryAfterSeconds;
        answered();
        return send(res, 429, { success: false, message: 'Too many requests (drill)' }, { 'retry-after': String(options.retryAfterSeconds) });
      case '400':
        answered();
        return send(res, 400, { success: false, message: 'Invalid request: the prompt was rejected (drill)' });
      case '401':
        answered();
        return send(res, 401, { success: false, message: 'Invalid API key (drill)' });
      case 'reset':
        answered();
        req.socket.destroy();
        return;
      case 'timeout': {
        // Say nothing until the client gives up (its PROVIDER_TIMEOUT_MS), bounded.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, MAX_STALL_MS);
          res.on('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        answered();
        if (!res.destroyed) req.socket.destroy();
        return;
      }
      case 'hold':
        await Promise.race([held, new Promise((resolve) => setTimeout(resolve, MAX_STALL_MS))]);
        break;
      case 'ok':
        break;
    }
    if (res.destroyed) return;
    answered();
    if (path === IMAGE_PATH) {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.byteLength });
      res.end(image);
    } else {
      send(res, 200, { success: true, result: { palettes: PALETTES } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = async () => {
    releaseHeld();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const unregister = onCleanup({ name: 'JigsawStack stand-in', run: stop });
  return {
    origin: `http://127.0.0.1:${port}`,
    calls,
    release() {
      releaseHeld();
      held = Promise.resolve();
    },
    async stop() {
      unregister();
      await stop();
    },
  };
}

/** The app environment that points both providers at this server. */
export function jigsawStackEnv(origin: string, timeoutMs: number): Record<string, string> {
  return {
    IMAGE_PROVIDER: 'jigsawstack',
    PALETTE_PROVIDER: 'jigsawstack',
    JIGSAWSTACK_API_KEY: DRILL_API_KEY,
    JIGSAWSTACK_BASE_URL: origin,
    PROVIDER_TIMEOUT_MS: String(timeoutMs),
  };
}
