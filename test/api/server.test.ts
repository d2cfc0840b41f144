/**
 * listen()/close(): graceful shutdown waits for in-flight requests, ends open event streams,
 * does not wait for idle keep-alive sockets; resolveBindHost keeps an unauthenticated API on loopback.
 */
import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { after, describe, it } from 'node:test';
import express from 'express';
import { pino } from 'pino';
import { listen, resolveBindHost, type RunningServer } from '../../src/api/server.js';
import { eventStreamsOf, openEventStream } from '../../src/api/sse.js';
import { openSse } from './sse-client.js';

const silent = pino({ level: 'silent' });

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

function getText(url: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('listen and graceful close', () => {
  const servers: RunningServer[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  function slowApp() {
    const app = express();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived: () => void = () => undefined;
    const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.json({ finished: true });
    });
    app.get('/fast', (_req, res) => res.json({ ok: true }));
    app.get('/events', (req, res) => {
      const stream = openEventStream(req, res, { heartbeatMs: 60_000, registry: eventStreamsOf(app), userId: 'u' });
      stream.send('progress', { n: 1 });
    });
    return { app, release, slowArrived };
  }

  it('serves on the port it reports and waits for in-flight requests before closing', { timeout: 10_000 }, async () => {
    const { app, release, slowArrived } = slowApp();
    const server = await listen(app, { host: '127.0.0.1', port: 0, logger: silent, forceAfterMs: 60_000 });
    servers.push(server);
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);

    const slow = getText(`${server.url}/slow`);
    await slowArrived;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false, 'close() resolved while a request was in flight');
    await assert.rejects(getText(`${server.url}/fast`), 'a new connection was accepted after close()');
    release();
    assert.deepEqual(await slow, { status: 200, body: '{"finished":true}' });
    await closing;
    assert.equal(closed, true);
  });

  it('ends open event streams and idle keep-alive connections instead of waiting for them', { timeout: 10_000 }, async () => {
    const { app } = slowApp();
    const server = await listen(app, { host: '127.0.0.1', port: 0, logger: silent, forceAfterMs: 60_000 });
    servers.push(server);
    const agent = new Agent({ keepAlive: true });
    assert.equal((await getText(`${server.url}/fast`, agent)).status, 200);
    const sse = await openSse(`${server.url}/events`);
    await sse.waitFor((events) => events.length === 1);

    await server.close();
    await sse.ended;
    assert.deepEqual(
      sse.events.map((e) => e.event),
      ['progress'],
    );
    agent.destroy();
  });
});

describe('resolveBindHost', () => {
  it('keeps an unauthenticated API on loopback and says so', () => {
    const { logger, lines } = capturingLogger();
    assert.equal(resolveBindHost('0.0.0.0', false, logger), '127.0.0.1');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 40);
    assert.match(lines[0]!.msg, /127\.0\.0\.1/);
  });

  it('allows loopback hosts without auth, and any host with auth, silently', () => {
    const { logger, lines } = capturingLogger();
    assert.equal(resolveBindHost('127.0.0.1', false, logger), '127.0.0.1');
    assert.equal(resolveBindHost('::1', false, logger), '::1');
    assert.equal(resolveBindHost('localhost', false, logger), 'localhost');
    assert.equal(resolveBindHost('0.0.0.0', true, logger), '0.0.0.0');
    assert.equal(resolveBindHost('10.1.2.3', true, logger), '10.1.2.3');
    assert.equal(lines.length, 0);
  });
});
