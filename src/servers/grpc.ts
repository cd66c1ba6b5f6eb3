/**
 * A faithful unary gRPC server on a plain HTTP/2 stream: request headers, one
 * length-prefixed message, response headers, one message, trailers with grpc-status.
 *
 * Why not @grpc/grpc-js's Server: it owns its HTTP/2 sessions (its own listener, or a
 * connection injector that takes the whole connection), so it could not share one port and
 * one TLS listener with the raw-TLS, HTTP/1.1 and plain-h2 handlers, where gRPC is chosen
 * per request by content-type. Serving it here also lets WhoAmI answer with the view of the
 * very TLS socket the call came on. The client side stays the real grpc-js.
 */
import { GRPC_VIEW_TRAILER } from './types.js';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import {
  decodeStringFields,
  encodeStringField,
  encodeVarintField,
  frameMessage,
  GRPC_STATUS,
  HEALTH_CHECK_PATH,
  SERVING,
  unframeMessages,
  WHO_AM_I_PATH,
} from './grpc-wire.js';

/** Unary requests here are tiny; anything bigger is refused rather than buffered. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** Services the health check knows: '' is the whole server. */
const HEALTH_SERVICES = new Set(['', 'mtlslab.v1.Lab']);

export function isGrpcRequest(headers: IncomingHttpHeaders): boolean {
  return String(headers['content-type'] ?? '').startsWith('application/grpc');
}

interface GrpcAnswer {
  status: number;
  message?: string;
  reply?: Buffer;
}

function answerCall(path: string, request: Buffer, whoAmI: unknown): GrpcAnswer {
  if (path === HEALTH_CHECK_PATH) {
    const service = decodeStringFields(request).get(1) ?? '';
    if (!HEALTH_SERVICES.has(service))
      return { status: GRPC_STATUS.NOT_FOUND, message: `unknown service ${service}` };
    return { status: GRPC_STATUS.OK, reply: encodeVarintField(1, SERVING) };
  }
  if (path === WHO_AM_I_PATH) {
    return { status: GRPC_STATUS.OK, reply: encodeStringField(1, JSON.stringify(whoAmI)) };
  }
  return { status: GRPC_STATUS.UNIMPLEMENTED, message: `unknown method ${path}` };
}

function trailersOnly(stream: ServerHttp2Stream, status: number, message: string): void {
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc+proto',
      'grpc-status': String(status),
      // grpc-message is percent-encoded (PROTOCOL-HTTP2.md).
      'grpc-message': encodeURIComponent(message),
    },
    { endStream: true },
  );
}

/** Serves one gRPC call; `whoAmI` is what WhoAmI answers (the server's view of the connection). */
export function serveGrpc(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, whoAmI: unknown): void {
  // A client that resets its stream must not become an unhandled 'error'.
  stream.on('error', () => {});
  const path = String(headers[':path'] ?? '');
  if (headers[':method'] !== 'POST') {
    trailersOnly(stream, GRPC_STATUS.UNIMPLEMENTED, 'gRPC requires POST');
    stream.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      if (!stream.headersSent) trailersOnly(stream, GRPC_STATUS.RESOURCE_EXHAUSTED, 'request too large');
      return;
    }
    chunks.push(chunk);
  });
  stream.on('end', () => {
    if (stream.headersSent || stream.destroyed) return;
    let answer: GrpcAnswer;
    try {
      const messages = unframeMessages(Buffer.concat(chunks));
      if (messages.length !== 1 || !messages[0]) {
        answer = {
          status: GRPC_STATUS.INVALID_ARGUMENT,
          message: `expected 1 request message, got ${messages.length}`,
        };
      } else answer = answerCall(path, messages[0], whoAmI);
    } catch (error) {
      answer = { status: GRPC_STATUS.INTERNAL, message: (error as Error).message };
    }
    if (!answer.reply) return trailersOnly(stream, answer.status, answer.message ?? '');
    stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
    stream.once('wantTrailers', () =>
      stream.sendTrailers({
        'grpc-status': '0',
        'grpc-message': '',
        [GRPC_VIEW_TRAILER]: JSON.stringify(whoAmI),
      }),
    );
    stream.end(frameMessage(answer.reply));
  });
}
