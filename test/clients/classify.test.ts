/**
 * The classifiers on real errors (captured from plain Node and grpc-js clients against real
 * servers) and on the spellings Node and OpenSSL use for alerts.
 */
import type { AddressInfo } from 'node:net';
import { createSecureContext, createServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classifyHandshakeError, classifyRequestError, errorFacts } from '../../src/clients/classify.js';
import {
  classifyGrpcHandshakeFailure,
  classifyGrpcRequest,
  underlyingError,
} from '../../src/clients/classify-grpc.js';
import { classifyHttpStatus, statusLineCode } from '../../src/clients/http-status.js';
import { runClient } from '../../src/clients/run-client.js';
import { receivedAlert } from '../../src/clients/tls-alerts.js';
import { findIdentity, type PkiMaterial } from '../../src/pki/types.js';
import { attemptFor } from './helpers/attempts.js';
import { captureGrpcError, captureTlsError } from './helpers/capture.js';
import { startHttpServer, startTlsEchoServer, type TestServer } from './helpers/servers.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
let verify: TestServer;
let verify12: TestServer;
let verifyHttp: TestServer;
const identity = (name: string) => findIdentity(pki, name)!;

beforeAll(async () => {
  pki = await pkiPerWorker();
  verify = await startTlsEchoServer(pki, 'verify');
  verify12 = await startHttpServer(pki, 'verify', { maxVersion: 'TLSv1.2' });
  verifyHttp = await startHttpServer(pki, 'verify');
});

afterAll(async () => {
  await Promise.all([verify.close(), verify12.close(), verifyHttp.close()]);
});

describe('errors captured from a plain Node TLS client', () => {
  const base = () => ({ port: verify.port, ca: pki.serverCa });

  test('TLS 1.2, no certificate: the server alert inside the handshake', async () => {
    const { error, afterSecureConnect } = await captureTlsError({ ...base(), maxVersion: 'TLSv1.2' });
    expect(afterSecureConnect).toBe(false);
    expect(classifyHandshakeError(error)).toMatchObject({
      kind: 'alert',
      alert: 'handshake_failure',
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  test('TLS 1.3, no certificate: certificate_required arrives on the first read', async () => {
    const { error, afterSecureConnect } = await captureTlsError({ ...base(), minVersion: 'TLSv1.3' });
    expect(afterSecureConnect).toBe(true);
    expect(classifyRequestError(error)).toMatchObject({
      kind: 'alert',
      alert: 'certificate_required',
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    });
    expect(classifyRequestError(error).detail).not.toMatch(/\n$/);
  });

  test('TLS 1.2, untrusted certificate: a reset before secureConnect', async () => {
    const untrusted = identity('untrusted-ca');
    const { error, afterSecureConnect } = await captureTlsError({
      ...base(),
      maxVersion: 'TLSv1.2',
      cert: untrusted.chain,
      key: untrusted.key,
    });
    expect(afterSecureConnect).toBe(false);
    expect(classifyHandshakeError(error)).toMatchObject({ kind: 'closed', code: 'ECONNRESET' });
  });

  test('the client refuses a server it does not trust', async () => {
    const { error } = await captureTlsError({
      port: verify.port,
      ca: identity('wrong-server-trust').serverTrust,
    });
    expect(classifyHandshakeError(error)).toMatchObject({
      kind: 'client_error',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });

  test('a host name the certificate does not carry is a client refusal', async () => {
    const { error } = await captureTlsError({ ...base(), servername: 'elsewhere.test' });
    expect(classifyHandshakeError(error)).toMatchObject({
      kind: 'client_error',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  test('a version the server does not speak: protocol_version alert', async () => {
    const { error } = await captureTlsError({ port: verify12.port, ca: pki.serverCa, minVersion: 'TLSv1.3' });
    expect(classifyHandshakeError(error)).toMatchObject({ kind: 'alert', alert: 'protocol_version' });
  });

  test('a version the server does not speak, through runClient: the same alert for every protocol', async () => {
    const results = await Promise.all(
      (['tls', 'https', 'h2', 'grpc'] as const).map((protocol) =>
        runClient(attemptFor(pki, 'valid', protocol, '1.3', verify12.port)),
      ),
    );
    for (const result of results)
      expect(result.handshake).toMatchObject({ kind: 'alert', alert: 'protocol_version' });
  });

  test('no common ALPN protocol: no_application_protocol alert', async () => {
    const server = createServer({ cert: pki.server.chain, key: pki.server.key, ALPNProtocols: ['http/1.1'] });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const { error } = await captureTlsError({ port, ca: pki.serverCa, ALPNProtocols: ['h2'] });
      expect(classifyHandshakeError(error)).toMatchObject({
        kind: 'alert',
        alert: 'no_application_protocol',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a closed port keeps its raw code', async () => {
    const { error } = await captureTlsError({ port: 1, ca: pki.serverCa });
    expect(classifyHandshakeError(error)).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
  });

  test("the client's own key or PEM is unusable", () => {
    const valid = identity('valid');
    const thrown = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return error;
      }
      throw new Error('did not throw');
    };
    const mismatch = thrown(() =>
      createSecureContext({ cert: valid.chain, key: identity('self-signed').key }),
    );
    expect(classifyHandshakeError(mismatch)).toMatchObject({
      kind: 'client_error',
      code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
    });
    const corrupt = thrown(() => createSecureContext({ cert: 'not a certificate', key: valid.key }));
    expect(classifyHandshakeError(corrupt).kind).toBe('client_error');
  });
});

describe('details strings captured from grpc-js (createSsl as in the RoadRunner document)', () => {
  test('TLS 1.3 missing certificate: the alert inside UNAVAILABLE', async () => {
    const error = await captureGrpcError(verifyHttp.port, pki.serverCa);
    expect(error.code).toBe(14);
    expect(classifyGrpcRequest({ code: error.code, details: error.details }, undefined, 1000)).toMatchObject({
      kind: 'alert',
      alert: 'certificate_required',
      status: 'gRPC UNAVAILABLE',
    });
  });

  test('TLS 1.2 missing certificate: a handshake alert', async () => {
    const error = await captureGrpcError(verify12.port, pki.serverCa);
    const outcome = { code: error.code, details: error.details };
    expect(classifyGrpcHandshakeFailure(outcome, undefined, 1000)).toMatchObject({
      kind: 'alert',
      alert: 'handshake_failure',
    });
  });

  test('TLS 1.2 untrusted certificate: closed before the handshake ended', async () => {
    const untrusted = identity('untrusted-ca');
    const error = await captureGrpcError(verify12.port, pki.serverCa, untrusted.key, untrusted.chain);
    const observation = classifyGrpcHandshakeFailure(
      { code: error.code, details: error.details },
      undefined,
      1000,
    );
    expect(observation).toMatchObject({ kind: 'closed' });
    expect(observation.detail).toContain('gRPC UNAVAILABLE');
  });

  test('the client refuses the server: the verify error inside the details', async () => {
    // With a certificate the server accepts, so that only the client's own check fails.
    const valid = identity('valid');
    const error = await captureGrpcError(
      verify12.port,
      identity('wrong-server-trust').serverTrust,
      valid.key,
      valid.chain,
    );
    expect(
      classifyGrpcHandshakeFailure({ code: error.code, details: error.details }, undefined, 1000),
    ).toMatchObject({
      kind: 'client_error',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });
});

describe('pure classification', () => {
  test.each([
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'certificate_required'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'bad_certificate'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'certificate_expired'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED', 'certificate_revoked'],
    ['ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE', 'unsupported_certificate'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'certificate_unknown'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'unknown_ca'],
    ['ERR_SSL_TLSV1_ALERT_ACCESS_DENIED', 'access_denied'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'protocol_version'],
    ['ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'internal_error'],
    ['ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'no_application_protocol'],
    ['ERR_SSL_TLSV1_ALERT_USER_CANCELLED', 'user_canceled'],
    ['ERR_SSL_TLSV1_UNRECOGNIZED_NAME', 'unrecognized_name'],
  ])('Node code %s is the %s alert', (code, alert) => {
    expect(receivedAlert(code, 'whatever')).toBe(alert);
  });

  test('the alert number in the message wins and unknown numbers stay visible', () => {
    expect(receivedAlert('EPROTO', 'write EPROTO ...:SSL alert number 48')).toBe('unknown_ca');
    expect(receivedAlert(undefined, '...:SSL alert number 201')).toBe('alert_201');
    expect(receivedAlert(undefined, 'x:tlsv1 alert decode error:y')).toBe('decode_error');
    expect(receivedAlert('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')).toBeUndefined();
  });

  test('HTTP statuses', () => {
    expect(classifyHttpStatus(200)).toEqual({ kind: 'ok', status: 'HTTP 200', httpStatus: 200 });
    // Refusals in the application: gateways (401, 403), nginx (400, 495, 496), Go and Caddy (421).
    for (const status of [400, 401, 403, 421, 495, 496])
      expect(classifyHttpStatus(status)).toMatchObject({
        kind: 'refused',
        status: `HTTP ${status}`,
        httpStatus: status,
      });
    // Any other answer shows the request got through; a server error shows nothing.
    expect(classifyHttpStatus(404)).toMatchObject({ kind: 'answered', status: 'HTTP 404', httpStatus: 404 });
    expect(classifyHttpStatus(500)).toMatchObject({ kind: 'error', status: 'HTTP 500', httpStatus: 500 });
    expect(classifyHttpStatus(503).kind).toBe('error');
  });

  test('an HTTP/1.x status line, and nothing else, has a status code', () => {
    expect(statusLineCode('HTTP/1.1 403 Forbidden\r')).toBe(403);
    expect(statusLineCode('HTTP/1.0 200')).toBe(200);
    expect(statusLineCode('{"presented":true}')).toBeUndefined();
    expect(statusLineCode('HTTP/2 200')).toBeUndefined();
  });

  test('a wrapped http2 error is classified by its cause', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const wrapper = Object.assign(new Error('The pending stream has been canceled'), {
      code: 'ERR_HTTP2_STREAM_CANCEL',
      cause,
    });
    expect(errorFacts(wrapper)).toEqual({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    expect(classifyRequestError(wrapper).kind).toBe('closed');
  });

  test('gRPC statuses after a good handshake', () => {
    expect(classifyGrpcRequest({ code: 0, details: 'OK', servingStatus: 1 }, undefined, 1)).toEqual({
      kind: 'ok',
      status: 'gRPC OK (SERVING)',
      grpcCode: 0,
      grpcFromServer: true,
    });
    expect(classifyGrpcRequest({ code: 16, details: 'who?' }, undefined, 1).kind).toBe('refused');
    expect(classifyGrpcRequest({ code: 4, details: 'Deadline exceeded' }, undefined, 1).kind).toBe('timeout');
    const internal = classifyGrpcRequest(
      { code: 13, details: 'Received RST_STREAM with code 2' },
      undefined,
      1,
    );
    expect(internal).toMatchObject({
      kind: 'error',
      status: 'gRPC INTERNAL',
      detail: 'Received RST_STREAM with code 2',
    });
    // The application answered: the call got through.
    expect(classifyGrpcRequest({ code: 12, details: 'unknown method' }, undefined, 1)).toMatchObject({
      kind: 'answered',
      status: 'gRPC UNIMPLEMENTED',
      grpcCode: 12,
      grpcFromServer: true,
    });
  });

  test('gRPC statuses grpc-js made up while reading an answer that is not gRPC', () => {
    // nginx's text page over HTTP/2, read as a length-prefixed message: "larger than max".
    const page = { code: 8, details: 'Received message larger than max (1797289573 vs 4194304)' };
    expect(classifyGrpcRequest({ ...page, contentType: 'text/plain' }, undefined, 1)).toMatchObject({
      kind: 'error',
      grpcFromServer: false,
      detail: expect.stringMatching(/content-type text\/plain, not gRPC/),
    });
    // From a gRPC server the same status is the application's own answer.
    expect(
      classifyGrpcRequest({ ...page, contentType: 'application/grpc+proto' }, undefined, 1),
    ).toMatchObject({ kind: 'answered', grpcFromServer: true });
  });

  test('gRPC statuses grpc-js made up from an HTTP answer without grpc-status', () => {
    // A refusal status is still a refusal; anything else means gRPC is not served there.
    expect(
      classifyGrpcRequest({ code: 7, details: 'Received HTTP status code 403' }, undefined, 1),
    ).toMatchObject({ kind: 'refused', httpStatus: 403, grpcCode: 7, grpcFromServer: false });
    expect(
      classifyGrpcRequest({ code: 12, details: 'Received HTTP status code 404' }, undefined, 1),
    ).toMatchObject({
      kind: 'error',
      httpStatus: 404,
      grpcFromServer: false,
      detail: expect.stringMatching(/does not answer gRPC here/),
    });
  });

  test('the last error inside a grpc-js details string', () => {
    const details =
      'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ';
    expect(underlyingError(details)).toBe('Error: connect ECONNREFUSED 127.0.0.1:1');
    expect(
      underlyingError(
        'No connection established. Last error: Failed to connect (2026-01-01T00:00:00.000Z). Resolution note: ',
      ),
    ).toBe('Failed to connect');
  });
});
