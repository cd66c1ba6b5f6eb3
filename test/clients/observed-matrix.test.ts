/**
 * Every protocol × TLS version × server config × identity against real Node servers, and
 * where each rejection is observed. The expectations are what Node 20 / OpenSSL 3 really do
 * (see the table in `expected`); a change in Node shows up here.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClient } from '../../src/clients/run-client.js';
import type { ClientResult } from '../../src/clients/types.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import type { Protocol, TlsVersion } from '../../src/servers/types.js';
import { attemptFor, mapLimit, TEST_IDENTITIES, type TestIdentity } from './helpers/attempts.js';
import {
  type ServerConfig,
  startHttpServer,
  startTlsEchoServer,
  type TestServer,
} from './helpers/servers.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const CONFIGS: readonly ServerConfig[] = ['verify', 'request', 'none'];
const PROTOCOLS: readonly Protocol[] = ['tls', 'https', 'h2', 'grpc'];
const VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];

const OK_STATUS: Record<Protocol, string> = {
  tls: 'echo',
  https: 'HTTP 200',
  h2: 'HTTP 200',
  grpc: 'gRPC OK (SERVING)',
};

/** "kind" or "kind:alert" for the handshake and for the request. */
interface Expected {
  handshake: string;
  request: string;
  code?: string;
}

function expected(config: ServerConfig, tls: TlsVersion, identity: TestIdentity): Expected {
  if (identity === 'key-mismatch') {
    return { handshake: 'client_error', request: 'skipped', code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' };
  }
  if (identity === 'wrong-server-trust') {
    // A server with a `ca` (requestCert) sends its chain completed from that store, root
    // included; without one it sends the leaf alone. The client's complaint differs.
    const code = config === 'none' ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'SELF_SIGNED_CERT_IN_CHAIN';
    return { handshake: 'client_error', request: 'skipped', code };
  }
  if (config !== 'verify' || identity === 'valid') return { handshake: 'ok', request: 'ok' };
  if (identity === 'none') {
    // OpenSSL refuses a missing certificate itself; under TLS 1.3 the client has already
    // finished its handshake and reads the alert afterwards.
    return tls === '1.2'
      ? { handshake: 'alert:handshake_failure', request: 'skipped' }
      : { handshake: 'ok', request: 'alert:certificate_required' };
  }
  // Node verifies after OpenSSL's handshake and then destroys the socket, without an alert.
  return tls === '1.2' ? { handshake: 'closed', request: 'skipped' } : { handshake: 'ok', request: 'closed' };
}

function summary(result: ClientResult): Expected {
  const { handshake, request } = result;
  const code = handshake.kind === 'client_error' ? handshake.code : undefined;
  return {
    handshake: handshake.alert ? `${handshake.kind}:${handshake.alert}` : handshake.kind,
    request: request.alert ? `${request.kind}:${request.alert}` : request.kind,
    ...(code ? { code } : {}),
  };
}

let pki: PkiMaterial;
const servers = new Map<ServerConfig, { tls: TestServer; http: TestServer }>();

beforeAll(async () => {
  pki = await pkiPerWorker();
  for (const config of CONFIGS) {
    servers.set(config, {
      tls: await startTlsEchoServer(pki, config),
      http: await startHttpServer(pki, config),
    });
  }
});

afterAll(async () => {
  for (const { tls, http } of servers.values()) await Promise.all([tls.close(), http.close()]);
});

describe.each(CONFIGS)('server config %s', (config) => {
  test.each(PROTOCOLS)('%s: every identity on TLS 1.2 and 1.3', async (protocol) => {
    const server = servers.get(config)!;
    const port = protocol === 'tls' ? server.tls.port : server.http.port;
    const cells = VERSIONS.flatMap((tls) => TEST_IDENTITIES.map((identity) => ({ tls, identity })));
    const results = await mapLimit(cells, 6, (cell) =>
      runClient(attemptFor(pki, cell.identity, protocol, cell.tls, port)),
    );

    const observed = cells.map((cell, i) => ({ ...cell, ...summary(results[i]!) }));
    const wanted = cells.map((cell) => ({ ...cell, ...expected(config, cell.tls, cell.identity) }));
    expect(observed).toEqual(wanted);

    for (const [i, cell] of cells.entries()) {
      const result = results[i]!;
      if (result.handshake.kind === 'ok') expect(result.handshake.tlsVersion).toBe(`TLSv${cell.tls}`);
      if (cell.identity === 'key-mismatch') expect(result.localPort).toBeUndefined();
      else expect(result.localPort).toBeGreaterThan(0);
      if (result.request.kind !== 'ok') continue;
      expect(result.request.status).toBe(OK_STATUS[protocol]);
      // The server's own view of the same connection: the pinned version really went on the
      // wire, and the client's source port links the two sides.
      const view = result.answer as { tlsVersion: string; remotePort: number; presented: boolean };
      expect(view.tlsVersion).toBe(`TLSv${cell.tls}`);
      expect(view.remotePort).toBe(result.localPort);
      expect(view.presented).toBe(config !== 'none' && cell.identity !== 'none');
    }
  });
});
