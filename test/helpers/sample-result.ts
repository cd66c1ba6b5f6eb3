/**
 * A small, fixed matrix result (real shapes, invented figures) for golden report tests: passes
 * (accepted, refused by TLS, refused by the client), one unexpected verdict, one inconclusive
 * cell and two not run (skipped by an engine, not served). Every run cell carries what the judge
 * makes of its observations (reports.test.ts checks that).
 */
import { notableObservations } from '../../src/matrix/observations.js';
import { summarise } from '../../src/matrix/summary.js';
import type { CellResult, MatrixResult } from '../../src/matrix/types.js';
import type { ServerView } from '../../src/servers/types.js';

const view = (over: Partial<ServerView>): ServerView => ({
  connection: 1,
  remotePort: 50000,
  acceptedAt: 0,
  mode: 'require_and_verify_client_cert',
  tlsVersion: 'TLSv1.3',
  alpn: null,
  protocol: 'tls',
  presented: true,
  subject: 'CN=valid',
  fingerprint: 'AA:BB',
  uri: 'spiffe://mtls-lab.test/client/valid',
  verified: true,
  verifyError: null,
  decision: 'accepted',
  stage: null,
  reason: 'certificate verified',
  ...over,
});

const base = {
  server: 'require_and_verify_client_cert@tls1.3',
  mode: 'require_and_verify_client_cert' as const,
  tls: '1.3' as const,
  durationMs: 12,
};

export const SAMPLE_CELLS: CellResult[] = [
  {
    ...base,
    index: 0,
    identity: 'valid',
    protocol: 'tls',
    expected: {
      verdict: 'accepted',
      reason: 'the certificate verifies against the client CA',
      source: 'oracle',
    },
    verdict: 'accepted',
    how: 'echo',
    pass: true,
    handshake: { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: null, serverHello: true },
    request: { kind: 'ok', status: 'echo' },
    serverViews: [view({})],
  },
  {
    ...base,
    index: 1,
    identity: 'none',
    protocol: 'https',
    expected: {
      verdict: 'rejected',
      reason: 'a client certificate is required and none is sent',
      source: 'oracle',
    },
    verdict: 'rejected',
    how: 'alert certificate_required on the first read',
    refusedBy: 'tls',
    pass: true,
    handshake: { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: 'http/1.1', serverHello: true },
    request: {
      kind: 'alert',
      alert: 'certificate_required',
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    },
    serverViews: [
      view({
        presented: false,
        subject: undefined,
        fingerprint: undefined,
        uri: undefined,
        verified: false,
        alpn: 'http/1.1',
        protocol: null,
        decision: 'rejected',
        stage: 'handshake',
        reason: 'peer did not return a certificate',
      }),
    ],
  },
  {
    ...base,
    index: 2,
    identity: 'revoked',
    protocol: 'grpc',
    expected: {
      verdict: 'rejected',
      reason: 'the certificate does not verify: revoked in the CRL',
      source: 'oracle',
    },
    verdict: 'accepted',
    how: 'gRPC OK (SERVING)',
    pass: false,
    handshake: { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: 'h2', serverHello: true },
    request: { kind: 'ok', status: 'gRPC OK (SERVING)', grpcCode: 0, grpcFromServer: true },
    serverViews: [
      view({ subject: 'CN=revoked', alpn: 'h2', protocol: 'grpc', reason: 'a <test> & "quote"' }),
    ],
  },
  {
    ...base,
    index: 3,
    server: 'require_and_verify_client_cert@tls1.2',
    tls: '1.2',
    identity: 'wrong-server-trust',
    protocol: 'h2',
    expected: { verdict: 'rejected', reason: "the client does not trust the server's CA", source: 'oracle' },
    verdict: 'rejected',
    how: "the client refused the server's certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    refusedBy: 'client',
    pass: true,
    handshake: { kind: 'client_error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', serverHello: true },
    request: { kind: 'skipped' },
    serverViews: [],
  },
  {
    ...base,
    index: 4,
    server: 'openssl@tls1.3',
    engine: 'openssl',
    identity: 'none',
    protocol: 'tls',
    expected: {
      verdict: 'rejected',
      reason: 'a client certificate is required and none is sent',
      source: 'oracle',
    },
    verdict: 'rejected',
    how: 'alert certificate_required on the first read',
    refusedBy: 'tls',
    pass: true,
    handshake: { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: null, serverHello: true },
    request: {
      kind: 'alert',
      alert: 'certificate_required',
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    },
    serverViews: [],
  },
  {
    ...base,
    index: 5,
    server: 'openssl@tls1.3',
    engine: 'openssl',
    identity: 'valid',
    protocol: 'h2',
    expected: {
      verdict: 'accepted',
      reason: 'the certificate verifies against the client CA',
      source: 'oracle',
    },
    skipped: 'openssl s_server speaks no HTTP/2 (so no gRPC either)',
    verdict: null,
    how: 'skipped',
    pass: null,
    handshake: {
      kind: 'error',
      code: 'SKIPPED',
      detail: 'openssl s_server speaks no HTTP/2 (so no gRPC either)',
    },
    request: { kind: 'skipped', detail: 'openssl s_server speaks no HTTP/2 (so no gRPC either)' },
    serverViews: [],
    durationMs: 0,
  },
  {
    ...base,
    index: 6,
    server: 'require_and_verify_client_cert@tls1.2',
    tls: '1.2',
    identity: 'valid',
    protocol: 'https',
    expected: {
      verdict: 'accepted',
      reason: 'the certificate verifies against the client CA',
      source: 'oracle',
    },
    verdict: 'inconclusive',
    how: 'request error HTTP 503',
    why: 'HTTP 503: a server error says nothing about the certificate',
    pass: null,
    handshake: { kind: 'ok', tlsVersion: 'TLSv1.2', alpn: 'http/1.1', serverHello: true },
    request: {
      kind: 'error',
      status: 'HTTP 503',
      httpStatus: 503,
      detail: 'HTTP 503: a server error says nothing about the certificate',
    },
    serverViews: [view({ tlsVersion: 'TLSv1.2', alpn: 'http/1.1', protocol: 'https' })],
  },
  {
    ...base,
    index: 7,
    server: 'require_and_verify_client_cert@tls1.2',
    tls: '1.2',
    identity: 'none',
    protocol: 'grpc',
    expected: {
      verdict: 'rejected',
      reason: 'a client certificate is required and none is sent',
      source: 'oracle',
    },
    notServed:
      'the server does not serve grpc in TLS 1.2: none over grpc: does not select ALPN h2 (it chose http/1.1)',
    verdict: null,
    how: 'not served',
    pass: null,
    handshake: {
      kind: 'error',
      code: 'NOT_SERVED',
      detail:
        'the server does not serve grpc in TLS 1.2: none over grpc: does not select ALPN h2 (it chose http/1.1)',
    },
    request: {
      kind: 'skipped',
      detail:
        'the server does not serve grpc in TLS 1.2: none over grpc: does not select ALPN h2 (it chose http/1.1)',
    },
    serverViews: [],
    durationMs: 0,
  },
];

export function sampleResult(): MatrixResult {
  return {
    summary: summarise(SAMPLE_CELLS, 1234),
    cells: SAMPLE_CELLS,
    observations: notableObservations(SAMPLE_CELLS),
    pki: { keyType: 'ecdsa-p256', dir: null, generated: true },
    scenario: null,
    target: null,
  };
}
