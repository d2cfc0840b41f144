/** Reads a response body up to a byte limit, streaming, and stops the transfer once it is exceeded. */

export interface LimitedBody {
  /** The body, or its first `maxBytes` bytes when `complete` is false. */
  bytes: Buffer;
  complete: boolean;
}

export async function readLimited(response: Response, maxBytes: number): Promise<LimitedBody> {
  const stream = response.body;
  if (!stream) return { bytes: Buffer.alloc(0), complete: true };
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await stream.cancel().catch(() => undefined);
    return { bytes: Buffer.alloc(0), complete: false };
  }
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks, size), complete: true };
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (size + chunk.byteLength > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks, maxBytes), complete: false };
    }
    chunks.push(chunk);
    size += chunk.byteLength;
  }
}
