/**
 * A server drops clients that stall: in the handshake, and idle after it on raw TLS,
 * HTTP/1.1 and HTTP/2. The cases wait for the limit side by side (describe.concurrent), so
 * the limit can leave a busy machine ample time for the handshakes that must succeed first.
 */
import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { closed, serverFixture } from './server-fixture.js';
import type { RunningServer } from '../../src/servers/server.js';
import type { ServerView } from '../../src/servers/types.js';
import { eventually } from '../helpers/resource-tracker.js';

/** The servers' handshake and idle limit. */
const IDLE_LIMIT_MS = 1000;

const fixture = serverFixture();
const { start } = fixture;

describe.concurrent('a client that stalls its handshake', () => {
  it('is dropped at the handshake timeout, with a view that says so', async () => {
    const views: ServerView[] = [];
    const server = await start({ handshakeTimeoutMs: IDLE_LIMIT_MS, onView: (view) => views.push(view) });
    // TCP only, and not a byte of TLS: the server must end it, not wait for the client.
    const socket = net.connect({ host: server.host, port: server.port });
    socket.on('error', () => {});
    await closed(socket);
    expect(await eventually(() => views.length === 1)).toBe(true);
    expect(views[0]).toMatchObject({ decision: 'rejected', stage: 'handshake' });
  });
});

describe.concurrent('a raw TLS client that never sends its line', () => {
  it('is dropped after the idle limit', async () => {
    const server = await start({ mode: 'no_client_certs', handshakeTimeoutMs: IDLE_LIMIT_MS });
    const socket = tls.connect({
      host: server.host,
      port: server.port,
      ca: fixture.pki().serverCa,
      servername: 'localhost',
    });
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    // Handshake done, not a byte sent: the server ends it, the client only waits.
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });
});

describe.concurrent('an HTTP connection that goes idle', () => {
  const connectTls = (server: RunningServer, alpn: string) => {
    const socket = tls.connect({
      host: server.host,
      port: server.port,
      ca: fixture.pki().serverCa,
      servername: 'localhost',
      ALPNProtocols: [alpn],
    });
    socket.on('error', () => {});
    // Reads what the server sends (HTTP/2 SETTINGS), so it sees the server's close.
    socket.resume();
    return socket;
  };

  for (const alpn of ['http/1.1', 'h2']) {
    it(`${alpn}: is dropped when it sends nothing after the handshake`, async () => {
      const server = await start({ mode: 'no_client_certs', handshakeTimeoutMs: IDLE_LIMIT_MS });
      const socket = connectTls(server, alpn);
      await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
      expect(socket.alpnProtocol).toBe(alpn);
      // Not a request, not an HTTP/2 preface: the server ends it, the client only waits.
      await closed(socket);
      expect(socket.destroyed).toBe(true);
    });
  }

  it('http/1.1: is dropped when it stays idle after a request', async () => {
    const server = await start({ mode: 'no_client_certs', handshakeTimeoutMs: IDLE_LIMIT_MS });
    const socket = connectTls(server, 'http/1.1');
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    const answered = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200/);
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('h2: a session is closed when it stays idle after a request', async () => {
    const server = await start({ mode: 'no_client_certs', handshakeTimeoutMs: IDLE_LIMIT_MS });
    const session = http2.connect(server.url, { ca: fixture.pki().serverCa, servername: 'localhost' });
    session.on('error', () => {});
    const stream = session.request({ ':path': '/' });
    stream.on('error', () => {});
    stream.resume();
    const status = await new Promise<number>((resolve) =>
      stream.once('response', (headers) => resolve(Number(headers[':status']))),
    );
    expect(status).toBe(200);
    await new Promise<void>((resolve) => stream.once('close', () => resolve()));
    // The session stays open on the client's side; the server ends it once it is idle.
    await new Promise<void>((resolve) =>
      session.closed ? resolve() : session.once('close', () => resolve()),
    );
    expect(session.destroyed).toBe(true);
  });
});
