/**
 * What the one port serves after a connection passed the mode: dispatch by ALPN.
 * - `h2`: a plain (non-TLS) http2 server fed the TLS socket; gRPC per request by content-type.
 * - `http/1.1`: a plain http server fed the TLS socket.
 * - no ALPN: raw TLS, one line in, one JSON line (the server's view) out.
 * Both HTTP servers never listen: `emit('connection', socket)` is how Node's own servers are
 * handed a socket that was accepted elsewhere (here by the tls.Server).
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { isGrpcRequest, serveGrpc } from './grpc.js';
import type { Protocol, ServerView } from './types.js';

/** Looks up (and on the first request emits) the view of the connection behind a socket. */
export type ViewOf = (socket: object, protocol: Protocol) => ServerView | undefined;

const RAW_LINE_LIMIT = 8 * 1024;

export interface Dispatcher {
  dispatch(socket: TLSSocket): void;
}

export function createDispatcher(viewOf: ViewOf): Dispatcher {
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;

  const http1 = http.createServer((req, res) => {
    const view = viewOf(req.socket, 'https');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(json(view));
    req.resume();
  });

  const h2 = http2.createServer();
  h2.on('stream', (stream, headers) => {
    // Http2Session.socket is a proxy of the TLS socket that still answers remoteAddress/Port.
    const socket = stream.session?.socket;
    if (!socket) return;
    // Looked up as the request arrives: the first request of a connection emits its view.
    if (isGrpcRequest(headers)) {
      serveGrpc(stream, headers, viewOf(socket, 'grpc'));
      return;
    }
    stream.on('error', () => {});
    const view = viewOf(socket, 'h2');
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(json(view));
    stream.resume();
  });

  function serveRawLine(socket: TLSSocket): void {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!received.includes('\n') && received.length < RAW_LINE_LIMIT) return;
      // One answer per connection; anything the client sends after the line is ignored.
      socket.removeAllListeners('data');
      socket.end(json(viewOf(socket, 'tls')));
    });
  }

  return {
    dispatch(socket) {
      if (socket.alpnProtocol === 'h2') h2.emit('connection', socket);
      else if (socket.alpnProtocol === 'http/1.1') http1.emit('connection', socket);
      else serveRawLine(socket);
    },
  };
}
