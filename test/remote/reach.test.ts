/** Unreachable targets get one clear error; --wait waits (boundedly) for a server that starts late. */
import { createServer, type Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError, Interrupted } from '../../src/errors.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { targetMatrix } from '../../src/remote/matrix.js';
import { probeTarget } from '../../src/remote/probe.js';
import { tryConnect, waitForTarget } from '../../src/remote/reach.js';
import { sharedPki } from '../helpers/shared-pki.js';

let pki: PkiMaterial;
const opened: Server[] = [];
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  pki = await sharedPki();
});

afterEach(async () => {
  for (const timer of timers.splice(0)) clearTimeout(timer);
  await Promise.all(opened.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listen(port = 0): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  opened.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

/** A loopback port that was just free: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('an unreachable target', () => {
  it('is one InputError before any cell runs', async () => {
    const port = await closedPort();
    const run = targetMatrix({
      target: { host: '127.0.0.1', port },
      pki,
      protocols: ['tls', 'https'],
      tls: ['1.2', '1.3'],
      concurrency: 4,
      timeoutMs: 2000,
    });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(
      `cannot reach 127.0.0.1:${port} — connection refused; is the server running? use --wait N`,
    );
  });

  it('stops probe the same way', async () => {
    const port = await closedPort();
    await expect(probeTarget({ target: { host: '127.0.0.1', port }, pki, timeoutMs: 2000 })).rejects.toThrow(
      /cannot reach 127\.0\.0\.1:\d+ — connection refused/,
    );
  });

  it('is still unreachable after a bounded wait, and says how long it waited', async () => {
    const port = await closedPort();
    await expect(waitForTarget({ host: '127.0.0.1', port }, 0.3)).rejects.toThrow(
      /connection refused, still after waiting 0\.3 s \(\d+ attempts\)/,
    );
  });
});

describe('waitForTarget', () => {
  it('waits for a server that starts a little later', async () => {
    const port = await closedPort();
    const started = new Promise<Server>((resolve, reject) => {
      timers.push(setTimeout(() => listen(port).then(resolve, reject), 300));
    });
    await waitForTarget({ host: '127.0.0.1', port }, 10);
    const server = await started;
    expect(portOf(server)).toBe(port);
  });

  it('returns at once for a listening server and closes its probe connection', async () => {
    const server = createServer();
    opened.push(server);
    // The server keeps its end open: only the client closing it ends the connection.
    const closedByClient = new Promise<string>((resolve) => {
      server.once('connection', (socket) => {
        socket.resume();
        socket.once('close', () => resolve('closed'));
      });
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    await waitForTarget({ host: '127.0.0.1', port: portOf(server) }, 0);
    // The server's end closes only when the client closed its probe; the test's own limit bounds the wait.
    expect(await closedByClient).toBe('closed');
  });

  it('stops when aborted', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    // Aborted once the wait is under way (its first connect is refused; it would retry for 30 s).
    setImmediate(() => controller.abort());
    await expect(waitForTarget({ host: '127.0.0.1', port }, 30, controller.signal)).rejects.toBeInstanceOf(
      Interrupted,
    );
  });

  it('reports a refused connect without throwing', async () => {
    const port = await closedPort();
    expect(await tryConnect({ host: '127.0.0.1', port }, 1000)).toMatchObject({
      ok: false,
      code: 'ECONNREFUSED',
    });
  });
});
