/**
 * One HTTP/1.1 exchange over a plain socket, byte for byte as given: the flood needs requests no
 * well-behaved client would send (bad header values, contradicting lengths, broken chunking,
 * garbage request lines). `Connection: close` framing; the answer's status line and (capped) body.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** HTTP status, or 0 when the server closed or the deadline passed without a status line. */
  status: number;
  body: string;
  timedOut: boolean;
}

const MAX_READ = 64 * 1024;

export function exchange(port: number, bytes: Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: match ? Number(match[1]) : 0, body: split >= 0 ? text.slice(split + 4) : '', timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    // Written without half-closing: a client FIN makes Node's server abort the request it is reading.
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_READ || complete(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
  });
}

/** Whether `text` holds a whole response (Content-Length or chunked framing); else wait for the close. */
function complete(text: string): boolean {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = text.slice(0, split).toLowerCase();
  const body = text.slice(split + 4);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/.test(head)) return body.endsWith('0\r\n\r\n');
  return false;
}

/** Request bytes from parts: `headers` are sent as given (names, values, duplicates, order). */
export function requestBytes(method: string, target: string, headers: [string, string][], body?: Buffer): Buffer {
  const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}
