/**
 * Every mode against real clients over raw TLS, HTTPS, HTTP/2 and gRPC, TLS 1.2 and 1.3:
 * accepted or refused as the mode promises, and the server's view says what it saw.
 * One PKI for the file; one server per (mode, version) for the socket-level protocols,
 * whose views are tied to attempts by the client's source port, and one server per gRPC
 * attempt (grpc-js hides its socket, so a server of its own is how its views are told apart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, type Mode } from '../../src/modes.js';
import { generatePki } from '../../src/pki/generate.js';
import type { IdentityMaterial, PkiMaterial } from '../../src/pki/types.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import type { Protocol, ServerView, TlsVersion } from '../../src/servers/types.js';
import { asAnswered, expectedView } from './expected-view.js';
import { type Answer, CLIENTS, grpcCall } from './test-clients.js';
import { expectValid } from '../helpers/json-schema.js';

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
const SOCKET_PROTOCOLS: Protocol[] = ['tls', 'https', 'h2'];
const VERSIONS: TlsVersion[] = ['1.2', '1.3'];

let pki: PkiMaterial;
const running: RunningServer[] = [];

beforeAll(async () => {
  pki = await generatePki();
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
});

function identities(): IdentityMaterial[] {
  return IDENTITIES.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity) throw new Error(`the PKI has no identity ${name}`);
    return identity;
  });
}

/** Views are emitted when the server decides; give it a bounded moment after the client. */
async function viewOf(server: RunningServer, localPort: number | undefined): Promise<ServerView | undefined> {
  for (let i = 0; i < 50; i++) {
    const view = server.views().find((candidate) => candidate.remotePort === localPort);
    if (view) return view;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

function checkAnswer(answer: Answer, expected: Partial<ServerView>, cell: string): void {
  expect(answer.answered, `${cell}: ${answer.detail}`).toBe(expected.decision === 'accepted');
}

describe.concurrent.each(MODES.flatMap((mode) => VERSIONS.map((tls) => [mode, tls] as [Mode, TlsVersion])))(
  '%s over TLS %s',
  (mode, tls) => {
    it('raw TLS, HTTPS and HTTP/2: verdict and view per identity', async () => {
      const server = await startServer({ mode, pki, tls });
      running.push(server);
      const cells = identities().flatMap((identity) =>
        SOCKET_PROTOCOLS.map((protocol) => ({ identity, protocol })),
      );
      await Promise.all(
        cells.map(async ({ identity, protocol }) => {
          const cell = `${mode} ${identity.name} ${protocol} ${tls}`;
          const expected = expectedView(mode, identity, protocol, tls);
          const answer = await CLIENTS[protocol]({ port: server.port, tls, identity });
          checkAnswer(answer, expected, cell);
          expect(answer.localPort, cell).toBeGreaterThan(0);
          const view = await viewOf(server, answer.localPort);
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

    it('gRPC through grpc-js: verdict and view per identity', async () => {
      for (const identity of identities()) {
        const cell = `${mode} ${identity.name} grpc ${tls}`;
        const expected = expectedView(mode, identity, 'grpc', tls);
        const server = await startServer({ mode, pki, tls });
        running.push(server);
        const answer = await grpcCall({ port: server.port, tls, identity });
        await server.close();
        checkAnswer(answer, expected, cell);
        // SERVING is field 1 = 1: bytes 08 01.
        if (answer.answered) expect(answer.body, cell).toEqual(Buffer.from([0x08, 0x01]));
        const views = server.views();
        expect(views.length, cell).toBeGreaterThan(0);
        expect(views[0], cell).toMatchObject(expected);
        for (const view of views) expect(view.decision, cell).toBe(expected.decision);
      }
    });
  },
);
