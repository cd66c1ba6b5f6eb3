/**
 * What the one port serves after a connection passed the mode: dispatch by ALPN.
 * - `h2`: a plain (non-TLS) http2 server fed the TLS socket; gRPC per request by content-type.
 * - `http/1.1`: a plain http server fed the TLS socket.
 * - no ALPN: raw TLS, one line in, one JSON line (the server's view) out.
 * Both HTTP servers never listen: `emit('connection', socket)` is how Node's own servers are
 * handed a socket that was accepted elsewhere (here by the tls.Server).
 * With per-route policies (routes.ts) every HTTPS and HTTP/2 request is judged by the route
 * its path matches: 403 with the reason, or 200 with the view. Raw TLS and gRPC are not routed.
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { isGrpcRequest, serveGrpc } from './grpc.js';
import { ADMIN_PATH, presentedChain, type RouteTable } from './routes.js';
import type { Protocol, ServerView } from './types.js';
import { viewDocument } from './view-json.js';

/** Looks up (and on the first request emits) the view of the connection behind a socket. */
export type ViewOf = (
  socket: object,
  protocol: Protocol,
  decided?: Partial<ServerView>,
) => ServerView | undefined;

/** The view as clients read it (snake_case, versioned); null when the connection has none. */
const answerView = (view: ServerView | undefined) => (view ? viewDocument(view) : null);

interface Answer {
  status: number;
  body: unknown;
}

/** The answer to an HTTP request: the view, or a route's decision on it. */
async function answer(
  viewOf: ViewOf,
  routes: RouteTable | undefined,
  socket: TLSSocket,
  protocol: Protocol,
  path: string,
): Promise<Answer> {
  if (!routes) return { status: 200, body: answerView(viewOf(socket, protocol)) };
  if (path === ADMIN_PATH) {
    viewOf(socket, protocol, { reason: 'admin endpoint: client mTLS counters' });
    return { status: 200, body: routes.counters() };
  }
  const route = routes.match(path);
  if (!route) {
    const reason = `no route for ${path}`;
    return {
      status: 404,
      body: answerView(viewOf(socket, protocol, { decision: 'rejected', stage: 'request', reason })),
    };
  }
  const verdict = await routes.decide(route, presentedChain(socket));
  return {
    status: verdict.decision === 'rejected' ? 403 : 200,
    body: answerView(viewOf(socket, protocol, verdict)),
  };
}

const FAILED: Answer = { status: 500, body: { error: 'the route could not decide' } };

const RAW_LINE_LIMIT = 8 * 1024;

export interface Dispatcher {
  dispatch(socket: TLSSocket): void;
}

/**
 * `idleMs`: how long a connection may stay silent on any protocol: a raw TLS client before
 * its line, an HTTP/1.1 or HTTP/2 client before its first request or between requests. Node's
 * own HTTP limits are far longer (a minute for headers), and HTTP/2 has none.
 */
export function createDispatcher(viewOf: ViewOf, routes?: RouteTable, idleMs = 10_000): Dispatcher {
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;

  const http1 = http.createServer((req, res) => {
    req.resume();
    void answer(viewOf, routes, req.socket as TLSSocket, 'https', req.url ?? '/')
      .catch(() => FAILED)
      .then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json(body));
      });
  });

  // Without a 'timeout' listener, Node's HTTP server destroys a socket idle for that long;
  // after a response the keep-alive limit takes over.
  http1.timeout = idleMs;
  http1.keepAliveTimeout = Math.min(idleMs, http1.keepAliveTimeout);

  const h2 = http2.createServer();
  // A session is closed when no request starts or ends for idleMs: one that never sends its
  // preface, and one a client keeps open after its last request. (Node's own session timeout
  // does not fire before the preface, and its timer outlives a destroyed session.)
  h2.on('session', (session: http2.ServerHttp2Session) => {
    const timer = setTimeout(() => session.destroy(), idleMs);
    session.on('stream', (stream: http2.ServerHttp2Stream) => {
      timer.refresh();
      stream.once('close', () => timer.refresh());
    });
    session.once('close', () => clearTimeout(timer));
  });
  h2.on('stream', (stream, headers) => {
    // Http2Session.socket is a proxy of the TLS socket that still answers remoteAddress/Port.
    const socket = stream.session?.socket;
    if (!socket) return;
    // Looked up as the request arrives: the first request of a connection emits its view.
    if (isGrpcRequest(headers)) {
      serveGrpc(stream, headers, answerView(viewOf(socket, 'grpc')));
      return;
    }
    stream.on('error', () => {});
    stream.resume();
    const path = String(headers[':path'] ?? '/');
    void answer(viewOf, routes, socket as TLSSocket, 'h2', path)
      .catch(() => FAILED)
      .then(({ status, body }) => {
        if (stream.destroyed) return;
        stream.respond({ ':status': status, 'content-type': 'application/json' });
        stream.end(json(body));
      });
  });

  function serveRawLine(socket: TLSSocket): void {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    // A client that never sends its line must not hold the connection for good.
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!received.includes('\n') && received.length < RAW_LINE_LIMIT) return;
      // One answer per connection; anything the client sends after the line is ignored.
      socket.removeAllListeners('data');
      socket.setTimeout(0);
      socket.end(json(answerView(viewOf(socket, 'tls'))));
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
