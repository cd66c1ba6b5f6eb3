/**
 * The `tls` protocol: a raw TLS handshake without ALPN, then one line out ("hello") and one
 * line back (the server's JSON view of the connection).
 */
import { connect } from 'node:tls';
import type { AttemptScope } from './attempt-scope.js';
import { classifyHandshakeError, classifyRequestError, closedWithoutAnswer } from './classify.js';
import { alpnOf, secureContextOrFail, tlsConnectOptions } from './tls-options.js';

/** Upper bound on the answer line: a server view is a few hundred bytes. */
const MAX_LINE = 64 * 1024;

export function runTlsClient(scope: AttemptScope): void {
  const { attempt } = scope;
  const context = secureContextOrFail(scope);
  if (!context) return;
  const socket = connect(tlsConnectOptions(attempt, context, undefined));
  scope.onCleanup(() => socket.destroy());
  let received = '';

  socket.once('connect', () => {
    scope.localPort = socket.localPort;
  });
  socket.once('secureConnect', () => {
    scope.handshakeOk({ tlsVersion: socket.getProtocol() ?? undefined, alpn: alpnOf(socket.alpnProtocol) });
    socket.write('hello\n');
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
      scope.finish({
        kind: 'error',
        detail: `connection closed after a partial answer: ${received.slice(0, 200)}`,
      });
    } else {
      scope.finish(closedWithoutAnswer('connection closed after the handshake without an answer (no alert)'));
    }
  });

  function answered(line: string): void {
    try {
      scope.answer = JSON.parse(line);
    } catch {
      scope.answer = line;
    }
    scope.finish({ kind: 'ok', status: 'echo' });
  }
}
