import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, DEFAULT_TIMEOUTS, listen } from '../../scripts/serve/node-server.ts';
import type { RegistryServer } from '../../scripts/serve/node-server.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

// Real sockets against a real server, with timeouts short enough for a test.
const TIMEOUTS = { headers: 800, request: 1500, keepAlive: 400, idle: 1200 };
let server: RegistryServer;
let port: number;
let dist: string;

beforeAll(async () => {
  dist = (await buildFixture(fixtureRoot())).dist;
  // Larger than loopback socket buffers, so a client that never reads leaves the server waiting.
  writeFileSync(join(dist, 'large.bin'), randomBytes(48 * 2 ** 20));
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1', timeouts: TIMEOUTS });
  port = (await listen(server, 0, '127.0.0.1')).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Tracked {
  socket: Socket;
  closedAfter: Promise<number>;
  received: () => string;
}

function open(): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => {});
    const closedAfter = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, closedAfter, received: () => data }));
    socket.once('error', reject);
  });
}

/** Writes `chunk` every `everyMs` until the socket closes; returns how many writes went out. */
function dribble(t: Tracked, chunk: string, everyMs: number): () => number {
  let writes = 0;
  const timer = setInterval(() => {
    if (t.socket.destroyed) return clearInterval(timer);
    t.socket.write(chunk);
    writes += 1;
  }, everyMs);
  t.socket.on('close', () => clearInterval(timer));
  return () => writes;
}

const within = (ms: number, closed: Promise<number>) => Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), ms))]);

describe('serve times out slow and idle clients', () => {
  it('closes 200 slowloris sockets that send a header line every 100 ms, with a 408', async () => {
    const sockets = await Promise.all(Array.from({ length: 200 }, () => open()));
    const counters = sockets.map((t) => {
      t.socket.write('GET /v0.1/servers HTTP/1.1\r\nHost: registry\r\n');
      return dribble(t, 'X-Slow: a\r\n', 100);
    });
    const closed = await Promise.all(sockets.map((t) => within(4000, t.closedAfter)));
    expect(Math.max(...closed)).toBeLessThan(TIMEOUTS.headers + 1500);
    expect(Math.min(...counters.map((c) => c()))).toBeGreaterThanOrEqual(4);
    expect(sockets.every((t) => t.received().startsWith('HTTP/1.1 408 '))).toBe(true);
  });

  it('closes a socket that connects and sends nothing', async () => {
    const t = await open();
    expect(await within(4000, t.closedAfter)).toBeLessThan(TIMEOUTS.headers + 1500);
  });

  it('closes a request whose body trickles in, once the request time is up', async () => {
    const t = await open();
    t.socket.write('GET /v0.1/servers HTTP/1.1\r\nHost: registry\r\nContent-Length: 100000\r\n\r\n');
    dribble(t, 'x', 100);
    const after = await within(6000, t.closedAfter);
    expect(after).toBeGreaterThan(TIMEOUTS.headers);
    expect(after).toBeLessThan(TIMEOUTS.request + 1500);
  });

  it('closes a kept-alive socket that asks nothing more', async () => {
    const t = await open();
    t.socket.write('GET /v0.1/health HTTP/1.1\r\nHost: registry\r\n\r\n');
    expect(await within(4000, t.closedAfter)).toBeLessThan(TIMEOUTS.keepAlive + 1500);
    expect(t.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('drops a client that stops reading a large response', async () => {
    const serverSide = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const t = await open();
    const accepted = await serverSide;
    const started = Date.now();
    const dropped = new Promise<number>((resolve) => accepted.on('close', () => resolve(Date.now() - started)));
    t.socket.pause();
    t.socket.write('GET /large.bin HTTP/1.1\r\nHost: registry\r\n\r\n');
    expect(await within(6000, dropped)).toBeLessThan(TIMEOUTS.idle + 2500);
    expect(t.received().length).toBeLessThan(48 * 2 ** 20);
    t.socket.destroy();
  });

  it('has finite defaults for every timeout', () => {
    const plain = createRegistryServer({ dist, data: { all: [], visible: [], latest: [], byName: new Map() }, port: 0, host: '127.0.0.1' });
    expect([plain.headersTimeout, plain.requestTimeout, plain.keepAliveTimeout, plain.timeout]).toEqual([
      DEFAULT_TIMEOUTS.headers,
      DEFAULT_TIMEOUTS.request,
      DEFAULT_TIMEOUTS.keepAlive,
      DEFAULT_TIMEOUTS.idle,
    ]);
    expect(DEFAULT_TIMEOUTS.headers).toBeLessThanOrEqual(10_000);
  });
});
