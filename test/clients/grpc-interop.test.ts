/**
 * The gRPC client against a real @grpc/grpc-js Server (ServerCredentials.createSsl with
 * checkClientCertificate), not only against the hand-written HTTP/2 responder.
 */
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
  HEALTH_CHECK_PATH,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '../../src/clients/grpc-health-codec.js';
import { runClient } from '../../src/clients/run-client.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { attemptFor } from './helpers/attempts.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const HEALTH_SERVICE: ServiceDefinition = {
  Check: {
    path: HEALTH_CHECK_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeHealthCheckRequest,
    requestDeserialize: decodeHealthCheckRequest,
    responseSerialize: encodeHealthCheckResponse,
    responseDeserialize: decodeHealthCheckResponse,
  },
};

type Call = ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>;

async function startGrpcServer(pki: PkiMaterial, checkClientCertificate: boolean, deny: boolean) {
  const server = new Server();
  server.addService(HEALTH_SERVICE, {
    Check: (call: Call, callback: sendUnaryData<HealthCheckResponse>) => {
      if (deny) callback({ code: status.PERMISSION_DENIED, details: 'not on the list' });
      else callback(null, { status: call.request.service === '' ? 1 : 3 });
    },
  });
  const credentials = ServerCredentials.createSsl(
    Buffer.from(pki.clientCa),
    [{ private_key: Buffer.from(pki.server.key), cert_chain: Buffer.from(pki.server.chain) }],
    checkClientCertificate,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, close: () => server.forceShutdown() };
}

let pki: PkiMaterial;
let verifying: Awaited<ReturnType<typeof startGrpcServer>>;
let denying: Awaited<ReturnType<typeof startGrpcServer>>;

beforeAll(async () => {
  pki = await pkiPerWorker();
  verifying = await startGrpcServer(pki, true, false);
  denying = await startGrpcServer(pki, false, true);
});

afterAll(() => {
  verifying.close();
  denying.close();
});

test('checkClientCertificate=true: valid is served, a missing or untrusted cert is refused by TLS', async () => {
  const cells = [
    { identity: 'valid', tls: '1.2', handshake: 'ok', request: 'ok' },
    { identity: 'valid', tls: '1.3', handshake: 'ok', request: 'ok' },
    { identity: 'none', tls: '1.2', handshake: 'alert:handshake_failure', request: 'skipped' },
    { identity: 'none', tls: '1.3', handshake: 'ok', request: 'alert:certificate_required' },
    { identity: 'untrusted-ca', tls: '1.2', handshake: 'closed', request: 'skipped' },
    { identity: 'untrusted-ca', tls: '1.3', handshake: 'ok', request: 'closed' },
  ] as const;
  const results = await Promise.all(
    cells.map((cell) => runClient(attemptFor(pki, cell.identity, 'grpc', cell.tls, verifying.port))),
  );
  const observed = results.map((result, i) => ({
    identity: cells[i]!.identity,
    tls: cells[i]!.tls,
    handshake: result.handshake.alert ? `alert:${result.handshake.alert}` : result.handshake.kind,
    request: result.request.alert ? `alert:${result.request.alert}` : result.request.kind,
  }));
  expect(observed).toEqual(cells);
  expect(results[0]!.request.status).toBe('gRPC OK (SERVING)');
  expect(results[1]!.handshake).toMatchObject({ tlsVersion: 'TLSv1.3', alpn: 'h2' });
  expect(results[5]!.request.status).toBe('gRPC UNAVAILABLE');
});

test('a PERMISSION_DENIED handler is a refusal by the application, after a good handshake', async () => {
  const result = await runClient(attemptFor(pki, 'valid', 'grpc', '1.3', denying.port));
  expect(result.handshake.kind).toBe('ok');
  expect(result.request).toMatchObject({
    kind: 'refused',
    status: 'gRPC PERMISSION_DENIED',
    detail: 'not on the list',
  });
});
