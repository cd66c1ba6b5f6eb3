/**
 * Small real servers for the client tests, independent of src/servers: a TLS echo server, an
 * HTTPS + HTTP/2 + gRPC server (one http2 secure server with allowHTTP1), and a TCP server
 * that never answers. Each records what it saw by the client's source port and closes every
 * socket it accepted when disposed.
 */

import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from 'node:tls';
import { encodeHealthCheckResponse } from '../../../src/clients/grpc-health-codec.js';
import type { PkiMaterial } from '../../../src/pki/types.js';

/** requestCert + rejectUnauthorized / requestCert only / no client certificates. */
export type ServerConfig = 'verify' | 'request' | 'none';

export interface SeenConnection {
  remotePort: number;
  tlsVersion: string | null;
  alpn: string | null;
  presented: boolean;
  authorized: boolean;
  authorizationError: string | null;
}

/** What a test server answers: ok, refuse at the application level, or never answer. */
export type Behaviour = 'ok' | 'forbidden' | 'stall';

export interface ServerOptions {
  behaviour?: Behaviour;
  /** Highest TLS version the server accepts (default TLSv1.3; the lowest is TLSv1.2). */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: '127.0.0.1' | '::1';
}

export interface TestServer extends AsyncDisposable {
  port: number;
  /** Completed handshakes, keyed by the client's source port. */
  seen: Map<number, SeenConnection>;
  /** Connections accepted at the TCP level (sockets tracked for teardown). */
  accepted: number;
  /** Accepted connections still open on the server side. */
  open: number;
  close(): Promise<void>;
}

function tlsOptions(pki: PkiMaterial, config: ServerConfig, maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3') {
  return {
    cert: pki.server.chain,
    key: pki.server.key,
    minVersion: 'TLSv1.2' as const,
    maxVersion,
    requestCert: config !== 'none',
    rejectUnauthorized: config === 'verify',
    ...(config !== 'none' ? { ca: pki.clientCa } : {}),
  };
}

function describe(socket: TLSSocket): SeenConnection {
  return {
    remotePort: socket.remotePort ?? 0,
    tlsVersion: socket.getProtocol(),
    alpn: socket.alpnProtocol || null,
    presented: Object.keys(socket.getPeerCertificate() ?? {}).length > 0,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
  };
}

/** Tracks every TCP socket so close() can end them all, and wraps server.close(). */
function lifecycle(server: NetServer | TlsServer | Http2SecureServer, extra: () => void = () => {}) {
  const sockets = new Set<Socket>();
  const state = { accepted: 0 };
  server.on('connection', (socket: Socket) => {
    state.accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const close = () =>
    new Promise<void>((resolve) => {
      extra();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { state, close, sockets };
}

async function listen(
  server: NetServer | TlsServer | Http2SecureServer,
  host: '127.0.0.1' | '::1',
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function handle(
  server: NetServer | TlsServer | Http2SecureServer,
  seen: Map<number, SeenConnection>,
  extra?: () => void,
) {
  const { state, close, sockets } = lifecycle(server, extra);
  // Loopback only, whatever the caller passes.
  return async (host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<TestServer> => {
    const port = await listen(server, host);
    return {
      port,
      seen,
      get accepted() {
        return state.accepted;
      },
      get open() {
        return sockets.size;
      },
      close,
      [Symbol.asyncDispose]: close,
    };
  };
}

/** Reads one line, answers one JSON line with its view of the connection. */
export function startTlsEchoServer(
  pki: PkiMaterial,
  config: ServerConfig,
  { behaviour = 'ok', maxVersion, host }: ServerOptions = {},
): Promise<TestServer> {
  const seen = new Map<number, SeenConnection>();
  const server = createTlsServer(tlsOptions(pki, config, maxVersion), (socket) => {
    const view = describe(socket);
    seen.set(view.remotePort, view);
    socket.on('error', () => {});
    if (behaviour === 'stall') socket.resume();
    else socket.once('data', () => socket.end(`${JSON.stringify(view)}\n`));
  });
  server.on('tlsClientError', () => {});
  return handle(server, seen)(host);
}

/** GET / answers the JSON view (200, or 403 when forbidden); the gRPC health check answers
 * SERVING (or PERMISSION_DENIED) with the view in the x-mtls-lab-view trailer. */
export function startHttpServer(
  pki: PkiMaterial,
  config: ServerConfig,
  { behaviour = 'ok', maxVersion, host }: ServerOptions = {},
): Promise<TestServer> {
  const seen = new Map<number, SeenConnection>();
  const sessions = new Set<ServerHttp2Session>();
  const server = createSecureServer({
    ...tlsOptions(pki, config, maxVersion),
    allowHTTP1: true,
    ALPNProtocols: ['h2', 'http/1.1'],
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const view = describe(socket);
    seen.set(view.remotePort, view);
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.once('close', () => sessions.delete(session));
  });
  server.on('tlsClientError', () => {});
  server.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const view = seen.get(socket.remotePort ?? 0) ?? describe(socket);
    if (behaviour === 'stall') return;
    if (req.url.startsWith('/grpc.health.v1.Health/')) return answerGrpc(req, res, view, behaviour);
    res.writeHead(behaviour === 'ok' ? 200 : 403, { 'content-type': 'application/json' });
    res.end(JSON.stringify(view));
  });
  return handle(server, seen, () => {
    for (const session of sessions) session.destroy();
  })(host);
}

function answerGrpc(
  req: Http2ServerRequest,
  res: Http2ServerResponse,
  view: SeenConnection,
  behaviour: Behaviour,
) {
  req.resume();
  req.once('end', () => {
    const viewTrailer = { 'x-mtls-lab-view': JSON.stringify(view) };
    if (behaviour === 'forbidden') {
      // Trailers-only response (one HEADERS frame ending the stream), as gRPC servers send
      // for an immediate error.
      res.stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '7',
          'grpc-message': 'not you',
          ...viewTrailer,
        },
        { endStream: true },
      );
      return;
    }
    const message = encodeHealthCheckResponse({ status: 1 });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(message.length, 1);
    res.writeHead(200, { 'content-type': 'application/grpc' });
    res.addTrailers({ 'grpc-status': '0', ...viewTrailer });
    res.end(Buffer.concat([prefix, message]));
  });
}

/**
 * Accepts TCP connections and never says a word: the client must give up on its own. It
 * reads (and drops) what arrives, so it notices when the client closes.
 */
export function startSilentServer(): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.resume();
  });
  return handle(server, new Map())();
}
