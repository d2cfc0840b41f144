/** Reads a Server-Sent Events stream over real HTTP until `event: done` (or a time limit). */
export interface SseEvent {
  event: string;
  data: string;
}

export async function readSseUntilDone(url: string, options: { timeoutMs: number; headers?: Record<string, string> }): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no 'done' event within ${options.timeoutMs} ms`)), options.timeoutMs);
  try {
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...options.headers }, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`SSE request failed: ${response.status}`);
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error('not an event stream');
    const events: SseEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n').filter((l) => !l.startsWith(':'));
        if (lines.length === 0) continue;
        const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        events.push({ event, data });
        if (event === 'done') return events;
      }
    }
    throw new Error('the stream ended without a done event');
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
