/**
 * Which name the server certificate is checked against (attempt.servername, else the host),
 * and IPv6 loopback targets, for every protocol.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClient } from '../../src/clients/run-client.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import type { Protocol } from '../../src/servers/types.js';
import { attemptFor } from './helpers/attempts.js';
import { startHttpServer, startTlsEchoServer, type TestServer } from './helpers/servers.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const PROTOCOLS: readonly Protocol[] = ['tls', 'https', 'h2', 'grpc'];

let pki: PkiMaterial;
const v4: Record<'tls' | 'http', TestServer | undefined> = { tls: undefined, http: undefined };
const v6: Record<'tls' | 'http', TestServer | undefined> = { tls: undefined, http: undefined };
const portOf = (servers: typeof v4, protocol: Protocol) =>
  (protocol === 'tls' ? servers.tls! : servers.http!).port;

beforeAll(async () => {
  pki = await pkiPerWorker();
  v4.tls = await startTlsEchoServer(pki, 'none');
  v4.http = await startHttpServer(pki, 'none');
  v6.tls = await startTlsEchoServer(pki, 'none', { host: '::1' });
  v6.http = await startHttpServer(pki, 'none', { host: '::1' });
});

afterAll(async () => {
  await Promise.all([v4.tls, v4.http, v6.tls, v6.http].map((server) => server?.close()));
});

describe.each(PROTOCOLS)('%s', (protocol) => {
  test('servername: a name the server certificate carries is accepted', async () => {
    const attempt = {
      ...attemptFor(pki, 'valid', protocol, '1.3', portOf(v4, protocol)),
      servername: 'localhost',
    };
    const result = await runClient(attempt);
    expect(result.request.kind).toBe('ok');
  });

  test('servername: a name it does not carry is refused by the client', async () => {
    const attempt = {
      ...attemptFor(pki, 'valid', protocol, '1.2', portOf(v4, protocol)),
      servername: 'elsewhere.test',
    };
    const result = await runClient(attempt);
    expect(result.handshake).toMatchObject({ kind: 'client_error', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  test('an IPv6 loopback host is checked against the ::1 address in the certificate', async () => {
    const attempt = { ...attemptFor(pki, 'valid', protocol, '1.3', portOf(v6, protocol)), host: '::1' };
    const result = await runClient(attempt);
    expect(result.request.kind).toBe('ok');
    expect((result.answer as { remotePort: number }).remotePort).toBe(result.localPort);
  });
});
