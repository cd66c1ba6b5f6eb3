/**
 * Attempts that must end on their own: a server that never answers, an abort, a closed port,
 * application-level refusals, and the promise that nothing is left behind afterwards.
 * The protocols run side by side (each with a silent server of its own, so its count of
 * accepted connections is its own); within a protocol the cases run one after another.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClient } from '../../src/clients/run-client.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import type { Protocol } from '../../src/servers/types.js';
import { attemptFor, liveHandles } from './helpers/attempts.js';
import {
  startHttpServer,
  startSilentServer,
  startTlsEchoServer,
  type TestServer,
} from './helpers/servers.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const PROTOCOLS: readonly Protocol[] = ['tls', 'https', 'h2', 'grpc'];

let pki: PkiMaterial;
const silentFor = new Map<Protocol, TestServer>();
let forbidden: TestServer;
let stallHttp: TestServer;
let stallTls: TestServer;

beforeAll(async () => {
  pki = await pkiPerWorker();
  for (const protocol of PROTOCOLS) silentFor.set(protocol, await startSilentServer());
  forbidden = await startHttpServer(pki, 'request', { behaviour: 'forbidden' });
  stallHttp = await startHttpServer(pki, 'request', { behaviour: 'stall' });
  stallTls = await startTlsEchoServer(pki, 'request', { behaviour: 'stall' });
});

afterAll(async () => {
  await Promise.all([...silentFor.values(), forbidden, stallHttp, stallTls].map((server) => server.close()));
});

describe.concurrent.each(PROTOCOLS)('%s', (protocol) => {
  const silent = () => silentFor.get(protocol)!;

  test.sequential(
    'a server that accepts TCP and never answers: handshake timeout within the bound',
    async () => {
      const acceptedBefore = silent().accepted;
      const result = await runClient(attemptFor(pki, 'valid', protocol, '1.3', silent().port, 300));
      expect(result.handshake).toMatchObject({ kind: 'timeout' });
      expect(result.request).toEqual({ kind: 'skipped' });
      expect(result.localPort).toBeGreaterThan(0);
      expect(silent().accepted).toBe(acceptedBefore + 1);
      expect(result.endedAt).toBeGreaterThanOrEqual(result.startedAt);
    },
  );

  test.sequential('a server that completes the handshake and never answers: request timeout', async () => {
    const port = protocol === 'tls' ? stallTls.port : stallHttp.port;
    // The bound covers the handshake too, which must finish first even on a busy machine.
    const result = await runClient(attemptFor(pki, 'valid', protocol, '1.2', port, 1000));
    expect(result.handshake).toMatchObject({ kind: 'ok', tlsVersion: 'TLSv1.2' });
    expect(result.request).toMatchObject({ kind: 'timeout' });
  });

  test.sequential('an abort ends the attempt as an error, not a timeout', async () => {
    const controller = new AbortController();
    const attempt = {
      ...attemptFor(pki, 'valid', protocol, '1.2', silent().port, 30_000),
      signal: controller.signal,
    };
    const pending = runClient(attempt);
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.handshake).toMatchObject({ kind: 'error', code: 'ABORTED' });
    expect(result.request.kind).toBe('skipped');
  });

  test.sequential('an already aborted signal: no connection is attempted to completion', async () => {
    const attempt = {
      ...attemptFor(pki, 'valid', protocol, '1.2', silent().port),
      signal: AbortSignal.abort(),
    };
    const result = await runClient(attempt);
    expect(result.handshake).toMatchObject({ kind: 'error', code: 'ABORTED' });
  });

  test.sequential('a closed port: the raw ECONNREFUSED is kept', async () => {
    // Port 1 on loopback: privileged and unused, so the kernel refuses the connection.
    const result = await runClient(attemptFor(pki, 'valid', protocol, '1.2', 1));
    expect(result.handshake).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
    expect(result.handshake.detail).toContain('ECONNREFUSED');
  });

  if (protocol !== 'tls') {
    test.sequential(
      'the application refuses (HTTP 403 / gRPC PERMISSION_DENIED): request refused',
      async () => {
        const result = await runClient(attemptFor(pki, 'valid', protocol, '1.3', forbidden.port));
        expect(result.handshake.kind).toBe('ok');
        const status = protocol === 'grpc' ? 'gRPC PERMISSION_DENIED' : 'HTTP 403';
        expect(result.request).toMatchObject({ kind: 'refused', status });
        // The refusal still carries the server's view (403 body, gRPC trailer).
        expect(result.answer).toMatchObject({ presented: true, tlsVersion: 'TLSv1.3' });
      },
    );
  }
});

test('no sockets, sessions or timers are left behind by any kind of attempt', async () => {
  await using server = await startHttpServer(pki, 'verify');
  await using mute = await startSilentServer();
  const before = liveHandles();
  const attempts = PROTOCOLS.flatMap((protocol) => [
    attemptFor(pki, 'valid', protocol, '1.3', server.port),
    attemptFor(pki, 'none', protocol, '1.3', server.port),
    attemptFor(pki, 'none', protocol, '1.2', server.port),
    attemptFor(pki, 'untrusted-ca', protocol, '1.3', server.port),
    attemptFor(pki, 'wrong-server-trust', protocol, '1.2', server.port),
    { ...attemptFor(pki, 'valid', protocol, '1.2', mute.port), timeoutMs: 200 },
    {
      ...attemptFor(pki, 'valid', protocol, '1.3', protocol === 'tls' ? stallTls.port : stallHttp.port),
      timeoutMs: 200,
    },
  ]);
  const results = await Promise.all(attempts.map((attempt) => runClient(attempt)));
  expect(results.map((result) => result.handshake.kind)).not.toContain('error');
  // The servers stay up: every connection must have been closed by the client itself. Closes
  // reach both ends on a later tick, so wait a bounded while for the counts to settle.
  const grown = () => Object.entries(liveHandles()).filter(([type, count]) => count > (before[type] ?? 0));
  for (
    let tick = 0;
    tick < 40 && (grown().length > 0 || mute.open + server.open + stallHttp.open + stallTls.open > 0);
    tick++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(mute.open).toBe(0);
  expect(server.open).toBe(0);
  expect(stallHttp.open + stallTls.open).toBe(0);
  expect(grown()).toEqual([]);
});
