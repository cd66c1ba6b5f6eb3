/**
 * startServer(): one ephemeral TLS server in one client-auth mode that serves raw TLS,
 * HTTPS, HTTP/2 and gRPC on one loopback port (chosen by ALPN), and records exactly one
 * ServerView per connection. close() stops the listener and destroys every connection.
 */
import * as tls from 'node:tls';
import { type Mode, resolveMode } from '../modes.js';
import { ConnectionTracker } from './connections.js';
import { createDispatcher } from './handlers.js';
import { RouteTable, type ServerRoute } from './routes.js';
import { type ServerCredentials, type TlsVersionRange, tlsServerOptions } from './tls-options.js';
import type { ServerView } from './types.js';

export type { RoutePolicy, ServerRoute } from './routes.js';
export type { ServerCredentials, TlsVersionRange } from './tls-options.js';

export interface StartServerOptions {
  /** A canonical mode name or any alias (resolveMode). */
  mode: Mode | string;
  /** Server certificate, key and chain; the client CA; the CRLs. A PkiMaterial fits. */
  pki: ServerCredentials;
  /** One version or a range; default 1.2 to 1.3. */
  tls?: TlsVersionRange;
  /** Check client certificates against the CRLs; default: when the PKI has any. */
  checkCrl?: boolean;
  /** '127.0.0.1' (default) or '::1'. */
  host?: string;
  /** 0 (default) lets the system choose. */
  port?: number;
  onView?: (view: ServerView) => void;
  /**
   * Per-route client mTLS (routes.ts): the listener then runs in request_client_cert whatever
   * `mode` says, and HTTPS / HTTP/2 requests are judged by the route their path matches;
   * GET /admin/client-mtls answers the per-route counters.
   */
  routes?: readonly ServerRoute[];
  /**
   * A client that has not finished its handshake by then is dropped, and so is a connection
   * that stays idle that long after it, on every protocol (raw TLS, HTTP/1.1, HTTP/2 and
   * gRPC); default 10 s.
   */
  handshakeTimeoutMs?: number;
}

export interface RunningServer {
  host: string;
  port: number;
  /** https://127.0.0.1:PORT (or https://[::1]:PORT). */
  url: string;
  mode: Mode;
  views(): ServerView[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function serverUrl(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const routes = options.routes && new RouteTable(options.routes);
  const mode = routes ? 'request_client_cert' : resolveMode(options.mode);
  const host = options.host ?? '127.0.0.1';
  const checkCrl = options.checkCrl ?? Boolean(options.pki.crl?.includes('BEGIN X509 CRL'));
  const tracker = new ConnectionTracker(mode, options.onView);
  const dispatcher = createDispatcher(
    (socket, protocol, decided) => tracker.served(socket, protocol, decided),
    routes,
    options.handshakeTimeoutMs,
  );

  const tlsOptions = tlsServerOptions(mode, options.pki, options.tls, checkCrl);
  // Runway's listener: `client_auth: "request"`, `client_ca_file: ""`. Without a `ca` the
  // peer chain Node reports is exactly what the client sent (see presentedChain).
  if (routes) delete tlsOptions.ca;
  if (options.handshakeTimeoutMs !== undefined) tlsOptions.handshakeTimeout = options.handshakeTimeoutMs;
  const server = tls.createServer(tlsOptions);
  server.on('connection', (raw) => tracker.accepted(raw));
  server.on('keylog', (_line, socket) => tracker.adopt(socket));
  server.on('secureConnection', (socket) => {
    if (tracker.secured(socket)) dispatcher.dispatch(socket);
  });
  server.on('tlsClientError', (error, socket) => tracker.failed(error, socket));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after listening (rare: e.g. EMFILE on accept) must not crash the process.
  server.on('error', () => {});

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all([
      new Promise<void>((resolve) => server.close(() => resolve())),
      tracker.destroyAll(),
    ]).then(() => undefined);
    return closing;
  };
  return {
    host,
    port,
    url: serverUrl(host, port),
    mode,
    views: () => tracker.views(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
