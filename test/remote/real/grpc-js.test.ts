/**
 * `matrix --target` and `probe` against a real @grpc/grpc-js server: it speaks only h2 (https
 * gets no_application_protocol, raw TLS is closed) and implements no health service (a health
 * check gets UNIMPLEMENTED, which still shows the call got through).
 */
import { describe, it } from 'vitest';
import { missing, startGrpcJs } from '../../helpers/real-servers/index.js';
import { behaviour, judgeRealServer, usePki } from './judge-real.js';

const absent = await missing('grpc-js');
const written = usePki(absent);

describe.skipIf(absent !== undefined)('real grpc-js server', () => {
  it('ServerCredentials.createSsl(ca, pairs, false)', { timeout: 120_000 }, async () => {
    await judgeRealServer(written.pki, {
      behaviour: behaviour('no_client_certs'),
      wrong: behaviour('require_any_client_cert'),
      checksCrl: false,
      serves: ['1.2', '1.3'],
      servesGrpc: true,
      start: () => startGrpcJs({ pkiDir: written.dir, checkClientCertificate: false }),
    });
  });
  it('ServerCredentials.createSsl(ca, pairs, true)', { timeout: 120_000 }, async () => {
    await judgeRealServer(written.pki, {
      behaviour: behaviour('require_and_verify_client_cert'),
      wrong: behaviour('request_client_cert'),
      checksCrl: false,
      serves: ['1.2', '1.3'],
      servesGrpc: true,
      start: () => startGrpcJs({ pkiDir: written.dir, checkClientCertificate: true }),
    });
  });
});
