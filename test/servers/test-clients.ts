/**
 * Minimal real clients for the server tests: raw TLS, HTTPS (HTTP/1.1), HTTP/2 and gRPC
 * (@grpc/grpc-js with ChannelCredentials.createSsl). Each resolves (never rejects) with
 * whether the server answered, and the client's source port to find the server's view.
 */

import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { IdentityMaterial } from '../../src/pki/types.js';
import { HEALTH_CHECK_PATH, WHO_AM_I_PATH } from '../../src/servers/grpc-wire.js';
import type { Protocol, TlsVersion } from '../../src/servers/types.js';

export interface Attempt {
  port: number;
  host?: string;
  tls: TlsVersion;
  identity: IdentityMaterial;
  timeoutMs?: number;
}

export interface Answer {
  answered: boolean;
  /** What the server sent back (parsed JSON view, or the gRPC reply bytes). */
  body?: unknown;
  detail: string;
  localPort?: number;
}

const version = (v: TlsVersion) => (v === '1.2' ? 'TLSv1.2' : 'TLSv1.3');

function tlsOptions(a: Attempt): tls.ConnectionOptions {
  return {
    host: a.host ?? '127.0.0.1',
    port: a.port,
    ca: a.identity.serverTrust,
    cert: a.identity.chain,
    key: a.identity.key,
    minVersion: version(a.tls),
    maxVersion: version(a.tls),
  };
}

/** A TLS socket that remembers its source port as soon as TCP connects. */
function connect(a: Attempt, alpn: string[] | undefined, seen: { localPort?: number }): tls.TLSSocket {
  const socket = tls.connect({ ...tlsOptions(a), ...(alpn ? { ALPNProtocols: alpn } : {}) });
  socket.once('connect', () => (seen.localPort = socket.localPort));
  return socket;
}

function withTimeout(
  a: Attempt,
  run: (done: (answer: Answer) => void, seen: { localPort?: number }) => () => void,
) {
  return new Promise<Answer>((resolve) => {
    const seen: { localPort?: number } = {};
    let cleanup = () => {};
    const timer = setTimeout(() => done({ answered: false, detail: 'timeout' }), a.timeoutMs ?? 5000);
    function done(answer: Answer) {
      clearTimeout(timer);
      cleanup();
      resolve({ ...answer, localPort: seen.localPort });
    }
    cleanup = run(done, seen);
  });
}

const describeError = (error: Error & { code?: string }) =>
  `${error.code ?? 'error'}: ${error.message.trim()}`;

export function rawTls(a: Attempt): Promise<Answer> {
  return withTimeout(a, (done, seen) => {
    const socket = connect(a, undefined, seen);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('secureConnect', () => socket.write('hello\n'));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', (error) => done({ answered: false, detail: describeError(error) }));
    socket.on('close', () =>
      text.endsWith('\n')
        ? done({ answered: true, body: JSON.parse(text), detail: 'line' })
        : done({ answered: false, detail: 'closed without an answer' }),
    );
    return () => socket.destroy();
  });
}

export function https1(a: Attempt): Promise<Answer> {
  return withTimeout(a, (done, seen) => {
    const request = https.request({
      ...tlsOptions(a),
      path: '/',
      // No agent: the request then uses createConnection (agent: false would ignore it).
      agent: undefined,
      createConnection: () => connect(a, ['http/1.1'], seen),
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        done({
          answered: response.statusCode === 200,
          body: JSON.parse(text),
          detail: `HTTP ${response.statusCode}`,
        }),
      );
    });
    request.on('error', (error) => done({ answered: false, detail: describeError(error) }));
    request.end();
    return () => request.destroy();
  });
}

export function h2(a: Attempt): Promise<Answer> {
  return withTimeout(a, (done, seen) => {
    const session = http2.connect(`https://127.0.0.1:${a.port}`, {
      createConnection: () => connect(a, ['h2'], seen),
    });
    session.on('error', (error) => done({ answered: false, detail: describeError(error) }));
    const stream = session.request({ ':path': '/' });
    let text = '';
    let status = 0;
    stream.setEncoding('utf8');
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () =>
      status === 200
        ? done({ answered: true, body: JSON.parse(text), detail: 'HTTP/2 200' })
        : done({ answered: false, detail: `HTTP/2 ${status || 'no response'}` }),
    );
    stream.on('error', (error) => done({ answered: false, detail: describeError(error) }));
    return () => session.destroy();
  });
}

/** A unary call through the real grpc-js client; `path` is Health/Check unless told. */
export function grpcCall(
  a: Attempt,
  path = HEALTH_CHECK_PATH,
  request: Uint8Array = new Uint8Array(),
): Promise<Answer> {
  return withTimeout(a, (done) => {
    const { chain, key } = a.identity;
    const credentials = grpc.credentials.createSsl(
      Buffer.from(a.identity.serverTrust),
      key ? Buffer.from(key) : null,
      chain ? Buffer.from(chain) : null,
    );
    const client = new grpc.Client(`127.0.0.1:${a.port}`, credentials);
    const deadline = Date.now() + (a.timeoutMs ?? 5000) - 500;
    client.makeUnaryRequest(
      path,
      (message: Buffer) => message,
      (bytes: Buffer) => bytes,
      Buffer.from(request),
      new grpc.Metadata(),
      { deadline },
      (error, reply) => {
        if (error) done({ answered: false, detail: `gRPC ${grpc.status[error.code]}: ${error.details}` });
        else done({ answered: true, body: reply, detail: 'gRPC OK' });
      },
    );
    return () => client.close();
  });
}

export const CLIENTS: Record<Protocol, (a: Attempt) => Promise<Answer>> = {
  tls: rawTls,
  https: https1,
  h2,
  grpc: grpcCall,
};

export { WHO_AM_I_PATH };
