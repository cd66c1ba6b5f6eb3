/**
 * The `h2` protocol: an HTTP/2 session (ALPN h2) and one GET (of attempt.path, default /). The TLS socket is made here
 * and handed to http2 through createConnection, so the handshake and the socket's own errors
 * are observed directly rather than through the session's wrappers.
 */
import { type ClientHttp2Session, connect as http2Connect } from 'node:http2';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { AttemptScope } from './attempt-scope.js';
import type { RequestObservation } from './types.js';
import { classifyHandshakeError, classifyRequestError, closedWithoutAnswer } from './classify.js';
import { classifyHttpStatus } from './http-status.js';
import { parseBody } from './https-client.js';
import { alpnOf, secureContextOrFail, tlsConnectOptions } from './tls-options.js';

const MAX_BODY = 256 * 1024;

function authority(host: string, port: number): string {
  return host.includes(':') ? `https://[${host}]:${port}` : `https://${host}:${port}`;
}

export function runH2Client(scope: AttemptScope): void {
  const { attempt } = scope;
  const context = secureContextOrFail(scope);
  if (!context) return;
  const socket: TLSSocket = tlsConnect(tlsConnectOptions(attempt, context, ['h2']));
  scope.watchServerHello(socket);
  let session: ClientHttp2Session | undefined;
  scope.onCleanup(() => {
    session?.destroy();
    socket.destroy();
  });
  // The socket's first error is the root cause; the session and stream report wrappers of it.
  let socketError: Error | undefined;

  socket.once('connect', () => {
    scope.localPort = socket.localPort;
  });
  socket.on('error', (error) => {
    socketError ??= error;
    if (!scope.handshake) scope.failHandshake(classifyHandshakeError(error));
    else scope.finish(classifyRequestError(error));
  });
  socket.once('close', () => {
    if (!scope.handshake)
      scope.failHandshake({ kind: 'closed', detail: 'connection closed before secureConnect' });
  });
  socket.once('secureConnect', () => {
    scope.handshakeOk({ tlsVersion: socket.getProtocol() ?? undefined, alpn: alpnOf(socket.alpnProtocol) });
    if (socket.alpnProtocol !== 'h2') {
      // HTTP/2 without ALPN h2 would be talking past a server that chose another protocol.
      scope.finish(notH2(socket.alpnProtocol));
      return;
    }
    session = http2Connect(authority(attempt.host, attempt.port), { createConnection: () => socket });
    request(scope, session, () => socketError);
  });
}

/** The server completed the handshake without choosing h2: it does not serve HTTP/2 here. */
export function notH2(alpn: string | false | null): RequestObservation {
  return {
    kind: 'error',
    code: 'ALPN_NOT_H2',
    detail: `the server did not select ALPN h2 (it chose ${alpn ? alpn : 'none'})`,
  };
}

function request(scope: AttemptScope, session: ClientHttp2Session, rootCause: () => Error | undefined): void {
  const failed = (error: Error) => scope.finish(classifyRequestError(rootCause() ?? error));
  session.on('error', failed);
  const stream = session.request({ ':method': 'GET', ':path': scope.attempt.path ?? '/' });
  let status = 0;
  let body = '';
  stream.setEncoding('utf8');
  stream.once('response', (headers) => {
    status = Number(headers[':status'] ?? 0);
  });
  stream.on('data', (chunk: string) => {
    if (body.length < MAX_BODY) body += chunk;
  });
  stream.once('end', () => {
    if (!status) return;
    scope.answer = parseBody(body);
    scope.finish(classifyHttpStatus(status));
  });
  stream.on('error', failed);
  stream.once('close', () => {
    // Settled already unless the stream ended without an answer: GOAWAY, reset, EOF.
    const error = rootCause();
    if (error) scope.finish(classifyRequestError(error));
    else if (status === 0)
      scope.finish(closedWithoutAnswer(`stream closed without an answer (rstCode ${stream.rstCode})`));
    else
      scope.finish({
        kind: 'error',
        status: `HTTP ${status}`,
        detail: 'stream closed before the answer ended',
      });
  });
}
