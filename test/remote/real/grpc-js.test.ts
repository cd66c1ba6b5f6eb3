/**
 * `matrix --target` and `probe` against a real @grpc/grpc-js server: it speaks only h2 (https
 * gets no_application_protocol, raw TLS is closed) and implements no health service (a health
 * check gets UNIMPLEMENTED, which still shows the call got through).
 */
import { beforeAll, describe, it } from 'vitest';
import type { PkiMaterial } from '../../../src/pki/types.js';
import { missing, startGrpcJs } from '../../helpers/real-servers/index.js';
import { sharedPki } from '../../helpers/shared-pki.js';
import { behaviour, DECIDING, judgeRealServer } from './judge-real.js';

const absent = await missing('grpc-js');
// The server runs in this process and takes its credentials from memory: nothing on disk.
let pki: PkiMaterial;
beforeAll(async () => {
  if (!absent) pki = await sharedPki();
});

describe.skipIf(absent !== undefined)('real grpc-js server', () => {
  it('ServerCredentials.createSsl(ca, pairs, false)', { timeout: 120_000 }, async () => {
    await judgeRealServer(pki, {
      behaviour: behaviour('no_client_certs'),
      wrong: behaviour('require_any_client_cert'),
      checksCrl: false,
      serves: ['1.2', '1.3'],
      servesGrpc: true,
      // gRPC is all it answers.
      ...DECIDING,
      protocols: ['grpc'],
      start: () => startGrpcJs({ pki, checkClientCertificate: false }),
    });
  });
  it('ServerCredentials.createSsl(ca, pairs, true)', { timeout: 120_000 }, async () => {
    await judgeRealServer(pki, {
      behaviour: behaviour('require_and_verify_client_cert'),
      wrong: behaviour('request_client_cert'),
      checksCrl: false,
      serves: ['1.2', '1.3'],
      servesGrpc: true,
      start: () => startGrpcJs({ pki, checkClientCertificate: true }),
    });
  });
});
