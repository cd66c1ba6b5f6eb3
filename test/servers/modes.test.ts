/**
 * Every mode against real clients over raw TLS, HTTPS, HTTP/2 and gRPC, TLS 1.2 and 1.3:
 * accepted or refused as the mode promises, and the server's view says what it saw.
 * One PKI for the file; one server per (mode, version) for the socket-level protocols,
 * whose views are tied to attempts by the client's source port, and one server per gRPC
 * attempt (grpc-js hides its socket, so a server of its own is how its views are told apart).
 *
 * The server decides on a connection once its handshake is done, before it knows the
 * protocol (connections.ts), so every identity runs over raw TLS, and HTTPS, HTTP/2 and gRPC,
 * which add how the decision reaches the client, run one identity of each kind: none sent,
 * one that verifies directly, one that verifies through the intermediate it sends, and one
 * that does not verify.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, type Mode } from '../../src/modes.js';
import type { IdentityMaterial, PkiMaterial } from '../../src/pki/types.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import type { Protocol, ServerView, TlsVersion } from '../../src/servers/types.js';
import { asAnswered, expectedView } from './expected-view.js';
import { type Answer, CLIENTS, grpcCall } from './test-clients.js';
import { expectValid } from '../helpers/json-schema.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const IDENTITIES = [
  'none',
  'valid',
  'chain',
  'chain-no-intermediate',
  'self-signed',
  'untrusted-ca',
  'expired',
  'wrong-eku',
  'revoked',
];
/** One identity of each kind, for the protocols above raw TLS. */
const KINDS = ['none', 'valid', 'chain', 'self-signed'];
const HTTP_PROTOCOLS: Protocol[] = ['https', 'h2'];
/** Generous: an attempt only waits this long when something is wrong. */
const TIMEOUT_MS = 15_000;
const VERSIONS: TlsVersion[] = ['1.2', '1.3'];

let pki: PkiMaterial;
const running: RunningServer[] = [];

beforeAll(async () => {
  pki = await pkiPerWorker();
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
});

function identities(names = IDENTITIES): IdentityMaterial[] {
  return names.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity) throw new Error(`the PKI has no identity ${name}`);
    return identity;
  });
}

/**
 * At most this many attempts in flight across the file's concurrent blocks: on two busy cores
 * more only makes each attempt slower, and a slow one looks like a server that never answers.
 */
const inFlight = limiter(8);

function limiter(size: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active < size) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await work();
    } finally {
      // The slot goes straight to the next in line, if any.
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * A server whose views can be awaited by the client's source port. Views and waiters queue
 * per port: on loopback a port can come round again once its connection has closed.
 */
async function startWatched(mode: Mode, tls: TlsVersion) {
  const seen = new Map<number, ServerView[]>();
  const waiting = new Map<number, ((view: ServerView) => void)[]>();
  const server = await startServer({
    mode,
    pki,
    tls,
    onView: (view) => {
      const waiter = waiting.get(view.remotePort)?.shift();
      if (waiter) waiter(view);
      else seen.set(view.remotePort, [...(seen.get(view.remotePort) ?? []), view]);
    },
  });
  running.push(server);
  /** The view of the connection from `port`, once the server has decided; undefined if none comes. */
  const viewOf = (port: number | undefined) =>
    new Promise<ServerView | undefined>((resolve) => {
      if (port === undefined) return resolve(undefined);
      const view = seen.get(port)?.shift();
      if (view) return resolve(view);
      const queue = waiting.get(port) ?? [];
      waiting.set(port, queue);
      const waiter = (arrived: ServerView) => {
        clearTimeout(timer);
        resolve(arrived);
      };
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1);
        resolve(undefined);
      }, TIMEOUT_MS);
      queue.push(waiter);
    });
  return { server, viewOf };
}

function checkAnswer(answer: Answer, expected: Partial<ServerView>, cell: string): void {
  expect(answer.answered, `${cell}: ${answer.detail}`).toBe(expected.decision === 'accepted');
}

describe.concurrent.each(MODES.flatMap((mode) => VERSIONS.map((tls) => [mode, tls] as [Mode, TlsVersion])))(
  '%s over TLS %s',
  (mode, tls) => {
    it('raw TLS per identity, HTTPS and HTTP/2 per kind of identity: verdict and view', async () => {
      const { server, viewOf } = await startWatched(mode, tls);
      const cells = [
        ...identities().map((identity) => ({ identity, protocol: 'tls' as Protocol })),
        ...identities(KINDS).flatMap((identity) =>
          HTTP_PROTOCOLS.map((protocol) => ({ identity, protocol })),
        ),
      ];
      await Promise.all(
        cells.map(async ({ identity, protocol }) => {
          const cell = `${mode} ${identity.name} ${protocol} ${tls}`;
          const expected = expectedView(mode, identity, protocol, tls);
          const answer = await inFlight(() =>
            CLIENTS[protocol]({ port: server.port, tls, identity, timeoutMs: TIMEOUT_MS }),
          );
          checkAnswer(answer, expected, cell);
          expect(answer.localPort, cell).toBeGreaterThan(0);
          const view = await viewOf(answer.localPort);
          expect(view, cell).toMatchObject({ ...expected, remotePort: answer.localPort });
          if (expected.decision === 'accepted') {
            expectValid('server-view', answer.body);
            expect(answer.body, cell).toMatchObject(asAnswered(expected));
          }
        }),
      );
      // Exactly one view per connection.
      const ids = server.views().map((view) => view.connection);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(cells.length);
      await server.close();
    });

    it('gRPC through grpc-js: verdict and view per kind of identity', async () => {
      await Promise.all(
        identities(KINDS).map(async (identity) => {
          const cell = `${mode} ${identity.name} grpc ${tls}`;
          const expected = expectedView(mode, identity, 'grpc', tls);
          const server = await startServer({ mode, pki, tls });
          running.push(server);
          const answer = await inFlight(() =>
            grpcCall({ port: server.port, tls, identity, timeoutMs: TIMEOUT_MS }),
          );
          await server.close();
          checkAnswer(answer, expected, cell);
          // SERVING is field 1 = 1: bytes 08 01.
          if (answer.answered) expect(answer.body, cell).toEqual(Buffer.from([0x08, 0x01]));
          const views = server.views();
          expect(views.length, cell).toBeGreaterThan(0);
          expect(views[0], cell).toMatchObject(expected);
          for (const view of views) expect(view.decision, cell).toBe(expected.decision);
        }),
      );
    });
  },
);
