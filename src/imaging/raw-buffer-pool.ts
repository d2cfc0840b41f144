/**
 * Reuses the large raw pixel buffers handed to sharp for encoding. A fresh multi-megabyte buffer
 * costs a page fault per 4 KiB page on first write, which on small VMs is as slow as the recolour
 * loop itself; recolouring one image with N palettes needs N buffers of the same size, so keeping a
 * few of them around removes that cost. Callers fully overwrite what they acquire and release it
 * only after sharp has finished with it.
 */

export const RAW_POOL_MAX_RETAINED_BYTES = 32 * 1024 * 1024;

export class RawBufferPool {
  private readonly free: Buffer[] = [];
  private retainedBytes = 0;

  constructor(private readonly maxRetainedBytes = RAW_POOL_MAX_RETAINED_BYTES) {}

  /** A buffer of exactly `bytes` bytes with undefined contents, 4-byte aligned (own ArrayBuffer). */
  acquire(bytes: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length === bytes);
    if (index >= 0) {
      const [buffer] = this.free.splice(index, 1);
      this.retainedBytes -= bytes;
      return buffer!;
    }
    return Buffer.allocUnsafeSlow(bytes);
  }

  /** Gives a buffer back; kept only while the pool stays under its byte budget (newest sizes win). */
  release(buffer: Buffer): void {
    if (buffer.length > this.maxRetainedBytes) return;
    while (this.retainedBytes + buffer.length > this.maxRetainedBytes) {
      const dropped = this.free.shift()!;
      this.retainedBytes -= dropped.length;
    }
    this.free.push(buffer);
    this.retainedBytes += buffer.length;
  }

  get retained(): number {
    return this.retainedBytes;
  }
}
