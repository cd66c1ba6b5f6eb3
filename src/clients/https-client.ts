/**
 * The `https` protocol: one HTTP/1.1 GET (attempt.path, default /) on a connection of its own (agent: false, ALPN
 * http/1.1), the answer's status classified and its JSON body kept as the server's view.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AttemptScope } from './attempt-scope.js';
import { classifyHandshakeError, classifyRequestError, closedWithoutAnswer } from './classify.js';
import { classifyHttpStatus } from './http-status.js';
import { alpnOf, secureContextOrFail, tlsConnectOptions } from './tls-options.js';

const MAX_BODY = 256 * 1024;

/** A body that is JSON becomes the answer as an object; anything else is kept as text. */
export function parseBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function runHttpsClient(scope: AttemptScope): void {
  const { attempt } = scope;
  const context = secureContextOrFail(scope);
  if (!context) return;
  const req = request({
    ...tlsConnectOptions(attempt, context, ['http/1.1']),
    method: 'GET',
    path: attempt.path ?? '/',
    agent: false,
  });
  let tlsSocket: TLSSocket | undefined;
  scope.onCleanup(() => {
    req.destroy();
    tlsSocket?.destroy();
  });

  req.once('socket', (socket) => {
    tlsSocket = socket as TLSSocket;
    scope.watchServerHello(tlsSocket);
    socket.once('connect', () => {
      scope.localPort = socket.localPort;
    });
    socket.once('secureConnect', () => {
      const tls = socket as TLSSocket;
      scope.handshakeOk({ tlsVersion: tls.getProtocol() ?? undefined, alpn: alpnOf(tls.alpnProtocol) });
    });
  });
  req.once('response', (response) => readResponse(scope, response));
  req.on('error', (error) => {
    if (!scope.handshake) scope.failHandshake(classifyHandshakeError(error));
    else scope.finish(classifyRequestError(error));
  });
  req.once('close', () => {
    // Reached only when neither an answer nor an error settled the attempt.
    if (!scope.handshake)
      scope.failHandshake({ kind: 'closed', detail: 'request closed before secureConnect' });
    else scope.finish(closedWithoutAnswer('request closed without an answer (no alert)'));
  });
  req.end();
}

function readResponse(scope: AttemptScope, response: IncomingMessage): void {
  const status = response.statusCode ?? 0;
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    if (body.length < MAX_BODY) body += chunk;
  });
  response.once('end', () => {
    scope.answer = parseBody(body);
    scope.finish(classifyHttpStatus(status));
  });
  response.once('error', (error) => scope.finish(classifyRequestError(error)));
  // The connection dropped mid-body: the status arrived but the answer is incomplete.
  response.once('aborted', () => {
    scope.finish({ ...classifyHttpStatus(status), kind: 'error', detail: 'answer aborted before its end' });
  });
}
