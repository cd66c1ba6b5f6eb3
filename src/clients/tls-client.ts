/**
 * The `tls` protocol: a raw TLS handshake without ALPN, then one minimal HTTP/1.1 request on
 * the bare socket, and the first line of whatever comes back.
 *
 * An HTTP request rather than a bare line, because most servers behind a TLS port speak HTTP
 * and wait for a whole request (the JDK's HttpsServer, `openssl s_server -www`) or answer a
 * bare line with 400 for every client (nginx). The built-in servers and `s_server -rev` answer
 * its first line. An HTTP status line is judged as an HTTP status; any other data is an echo.
 */
import { connect } from 'node:tls';
import type { AttemptScope } from './attempt-scope.js';
import { classifyHandshakeError, classifyRequestError, closedWithoutAnswer } from './classify.js';
import { classifyHttpStatus, statusLineCode } from './http-status.js';
import { alpnOf, expectedServerName, secureContextOrFail, tlsConnectOptions } from './tls-options.js';
import type { ClientAttempt } from './types.js';

/** Upper bound on the answer line: a server view is a few hundred bytes. */
const MAX_LINE = 64 * 1024;

/** The request written after the handshake; `Connection: close` so no server keeps it open. */
export function rawRequest(attempt: ClientAttempt): string {
  const name = expectedServerName(attempt);
  const host = name.includes(':') ? `[${name}]:${attempt.port}` : `${name}:${attempt.port}`;
  return `GET ${attempt.path ?? '/'} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: mtls-lab\r\nConnection: close\r\n\r\n`;
}

export function runTlsClient(scope: AttemptScope): void {
  const { attempt } = scope;
  const context = secureContextOrFail(scope);
  if (!context) return;
  const socket = connect(tlsConnectOptions(attempt, context, undefined));
  scope.watchServerHello(socket);
  scope.onCleanup(() => socket.destroy());
  let received = '';

  socket.once('connect', () => {
    scope.localPort = socket.localPort;
  });
  socket.once('secureConnect', () => {
    scope.handshakeOk({ tlsVersion: socket.getProtocol() ?? undefined, alpn: alpnOf(socket.alpnProtocol) });
    socket.write(rawRequest(attempt));
  });
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    const newline = received.indexOf('\n');
    if (newline >= 0) {
      answered(received.slice(0, newline));
    } else if (received.length > MAX_LINE) {
      scope.finish({ kind: 'error', detail: `no newline in the first ${MAX_LINE} bytes of the answer` });
    }
  });
  socket.on('error', (error) => {
    if (!scope.handshake) scope.failHandshake(classifyHandshakeError(error));
    else scope.finish(classifyRequestError(error));
  });
  // 'close' after a clean EOF without an error: no alert, no answer.
  socket.once('close', () => {
    if (!scope.handshake) {
      scope.failHandshake({ kind: 'closed', detail: 'connection closed before secureConnect (no alert)' });
    } else if (received) {
      // Data without a newline is still an answer from the server's application.
      answered(received);
    } else {
      scope.finish(closedWithoutAnswer('connection closed after the handshake without an answer (no alert)'));
    }
  });

  function answered(line: string): void {
    const status = statusLineCode(line);
    if (status !== undefined) {
      scope.answer = line.trimEnd();
      scope.finish(classifyHttpStatus(status));
      return;
    }
    try {
      scope.answer = JSON.parse(line);
    } catch {
      scope.answer = line;
    }
    scope.finish({ kind: 'ok', status: 'echo' });
  }
}
