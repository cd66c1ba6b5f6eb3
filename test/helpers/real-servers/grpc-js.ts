/**
 * A real @grpc/grpc-js server, in process, secured the way the RoadRunner and grpc-js docs
 * show: ServerCredentials.createSsl(rootCa, [{ private_key, cert_chain }], checkClientCertificate).
 * checkClientCertificate false is no_client_certs; true is require_and_verify_client_cert
 * (grpc-js sets requestCert and rejectUnauthorized together). It serves one unary method of
 * its own, /demo.Echo/Say, and deliberately NOT grpc.health.v1.Health: a health check gets
 * UNIMPLEMENTED, as it does from many real services.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type sendUnaryData,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { PkiMaterial } from '../../../src/pki/types.js';
import { HOST } from './process.js';
import type { RealServer } from './types.js';

export const ECHO_METHOD = '/demo.Echo/Say';

/** The credentials come from a PKI folder (as written by writePki) or from memory. */
export type StartGrpcJsOptions = ({ pkiDir: string } | { pki: PkiMaterial }) & {
  checkClientCertificate: boolean;
};

export function grpcJsLabel(checkClientCertificate: boolean): string {
  return `grpc-js createSsl checkClientCertificate=${checkClientCertificate}, TLS 1.2+1.3`;
}

const identity = (data: Buffer) => data;

async function material(options: StartGrpcJsOptions) {
  if ('pki' in options) {
    const { pki } = options;
    return { rootCa: pki.clientCa, key: pki.server.key, chain: pki.server.chain };
  }
  const read = (file: string) => readFile(join(options.pkiDir, file), 'utf8');
  const [rootCa, key, chain] = await Promise.all([
    read('ca/root.crt'),
    read('server/server.key'),
    read('server/server-chain.pem'),
  ]);
  return { rootCa: rootCa!, key: key!, chain: chain! };
}

export async function startGrpcJs(options: StartGrpcJsOptions): Promise<RealServer> {
  const label = grpcJsLabel(options.checkClientCertificate);
  const { rootCa, key, chain } = await material(options);
  const credentials = ServerCredentials.createSsl(
    Buffer.from(rootCa),
    [{ private_key: Buffer.from(key), cert_chain: Buffer.from(chain) }],
    options.checkClientCertificate,
  );
  const server = new Server();
  // Raw bytes in and out: no protobuf needed for a one-method service; the reply echoes.
  const echo: UntypedServiceImplementation = {
    Say: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) =>
      callback(null, call.request),
  };
  server.addService(
    {
      Say: {
        path: ECHO_METHOD,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    echo,
  );

  // forceShutdown, not tryShutdown: tryShutdown waits for every HTTP/2 session grpc-js still
  // counts, and it keeps counting some whose connections are long closed (a raw TLS client,
  // a refused handshake), so a graceful close would end in a timeout after every matrix.
  // Nothing is in flight once a test closes the server.
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    server.forceShutdown();
  };

  try {
    // Since grpc-js 1.10, bindAsync also starts serving.
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${HOST}:0`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    return { kind: 'grpc-js', label, host: HOST, port, close };
  } catch (error) {
    await close();
    throw error;
  }
}
