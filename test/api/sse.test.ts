/**
 * SSE mechanics on a real HTTP server: headers, `retry:`, `progress` only when the value changes,
 * `done` then end, heartbeat comments, polling stops on client disconnect, shutdown ends open
 * streams.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { SharedPoller, streamSharedPoll } from '../../src/api/shared-poll.js';
import { EventStreamRegistry, openEventStream } from '../../src/api/sse.js';
import { openSse } from './sse-client.js';

interface Value {
  n: number;
  final?: boolean;
}

describe('event streams', () => {
  let server: Server;
  let base: string;
  const registry = new EventStreamRegistry();
  let current: Value | null;
  let loads = 0;
  let failNextLoad = false;
  const loadErrors: unknown[] = [];

  before(async () => {
    const app = express();
    const poller = new SharedPoller<Value>({ intervalMs: 5, isFinal: (v) => v.final === true, onLoadError: (_key, err) => loadErrors.push(err) });
    app.get('/stream', (req, res) => {
      const stream = openEventStream(req, res, { heartbeatMs: Number(req.query.heartbeat ?? 60_000), registry, userId: 'u' });
      streamSharedPoll(stream, poller, 'value', async () => {
        loads += 1;
        if (failNextLoad) {
          failNextLoad = false;
          throw new Error('database hiccup');
        }
        return current ? { ...current } : null;
      });
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    registry.closeAll();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    current = { n: 1 };
    loads = 0;
    loadErrors.length = 0;
  });

  it('sends progress only when the value changes, then done with the final value, then ends', async () => {
    // Heartbeats every 5 ms give the reader a chance to observe the polls in between.
    const conn = await openSse(`${base}/stream?heartbeat=5`);
    assert.equal(conn.response.statusCode, 200);
    assert.match(String(conn.response.headers['content-type']), /^text\/event-stream/);
    assert.equal(conn.response.headers['cache-control'], 'no-cache');
    assert.equal(conn.response.headers['x-accel-buffering'], 'no');

    await conn.waitFor((events) => events.length === 1);
    const loadsAfterFirst = loads;
    await conn.waitFor(() => loads >= loadsAfterFirst + 5); // several polls of an unchanged value
    assert.equal(conn.events.length, 1);
    current = { n: 2 };
    await conn.waitFor((events) => events.length === 2);
    current = { n: 3, final: true };
    await conn.ended;
    assert.deepEqual(conn.events, [
      { event: 'progress', data: { n: 1 } },
      { event: 'progress', data: { n: 2 } },
      { event: 'done', data: { n: 3, final: true } },
    ]);
    assert.equal(registry.size, 0);
  });

  it('sends heartbeat comments while nothing changes', async () => {
    const conn = await openSse(`${base}/stream?heartbeat=10`);
    await conn.waitFor((_events, comments) => comments.filter((c) => c === 'ping').length >= 2);
    assert.equal(conn.events.length, 1);
    current = { n: 9, final: true };
    await conn.ended;
  });

  it('stops polling when the client disconnects', async () => {
    const conn = await openSse(`${base}/stream`);
    await conn.waitFor((events) => events.length === 1);
    conn.abort();
    while (registry.size > 0) await sleep(5);
    const loadsAtClose = loads;
    await sleep(100); // 20 polling intervals
    assert.ok(loads <= loadsAtClose + 1, `polling continued after disconnect: ${loads - loadsAtClose} more loads`);
  });

  it('keeps streaming after a failed load, reporting the error', async () => {
    failNextLoad = true;
    const conn = await openSse(`${base}/stream`);
    await conn.waitFor((events) => events.length === 1);
    assert.equal(loadErrors.length, 1);
    current = { n: 2, final: true };
    await conn.ended;
    assert.deepEqual(conn.events.at(-1), { event: 'done', data: { n: 2, final: true } });
  });

  it('ends without done when the value disappears', async () => {
    const conn = await openSse(`${base}/stream`);
    await conn.waitFor((events) => events.length === 1);
    current = null;
    await conn.ended;
    assert.deepEqual(
      conn.events.map((e) => e.event),
      ['progress'],
    );
  });

  it('registry.closeAll ends open streams without sending anything more', async () => {
    const conn = await openSse(`${base}/stream`);
    await conn.waitFor((events) => events.length === 1);
    assert.equal(registry.size, 1);
    registry.closeAll();
    await conn.ended;
    assert.deepEqual(
      conn.events.map((e) => e.event),
      ['progress'],
    );
    assert.equal(registry.size, 0);
  });
});
