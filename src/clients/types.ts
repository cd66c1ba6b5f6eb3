/**
 * What a client observed in one attempt. Every field is an observation; nothing is
 * inferred from what the server was supposed to do.
 */
import type { Protocol, TlsVersion } from '../servers/types.js';

export type HandshakeKind =
  /** secureConnect reached. */
  | 'ok'
  /** The server sent a TLS alert during the handshake. */
  | 'alert'
  /** The connection was closed or reset before the handshake finished. */
  | 'closed'
  | 'timeout'
  /** The client gave up on its own: refused the server's certificate, bad key, ... */
  | 'client_error'
  /** Something that fits no class; `detail` has the raw error. */
  | 'error';

export type RequestKind =
  /** The server answered (HTTP 2xx, gRPC OK, the echo line). */
  | 'ok'
  /**
   * The application answered with neither success nor a refusal (HTTP 404, gRPC
   * UNIMPLEMENTED): the request got through to it.
   */
  | 'answered'
  /** The application refused: HTTP 400/401/403/421/495/496, gRPC UNAUTHENTICATED/PERMISSION_DENIED. */
  | 'refused'
  /** A TLS alert on the first read (TLS 1.3: the server judges the client's cert after the client is done). */
  | 'alert'
  /** Closed or reset with no answer. */
  | 'closed'
  | 'timeout'
  /** Not attempted because the handshake failed. */
  | 'skipped'
  /** A server error (HTTP 5xx), an answer that is not the protocol asked for, or an unclassified error. */
  | 'error';

export interface HandshakeObservation {
  kind: HandshakeKind;
  /** TLS alert name, e.g. certificate_required, when kind is alert. */
  alert?: string;
  /** Node/OpenSSL error code (ECONNRESET, ERR_SSL_..., UNABLE_TO_VERIFY_LEAF_SIGNATURE...). */
  code?: string;
  /** Human detail: the raw error message for anything not ok. */
  detail?: string;
  /** Negotiated version ('TLSv1.3') and ALPN when the handshake completed. */
  tlsVersion?: string;
  alpn?: string | null;
  /**
   * The server answered the ClientHello in the pinned version: the client derived keys, which
   * happens after the ServerHello (TLS 1.3) or the server's whole first flight (TLS 1.2). A
   * client certificate is only ever sent and judged after that, so a failure with this false
   * is never about the client certificate. Undefined where the socket is not visible.
   */
  serverHello?: boolean;
}

export interface RequestObservation {
  kind: RequestKind;
  /** 'HTTP 200', 'gRPC OK (SERVING)', 'gRPC UNAVAILABLE', 'echo'. */
  status?: string;
  /** The HTTP status the server answered with (https, h2, an HTTP answer on raw TLS, or under gRPC). */
  httpStatus?: number;
  /** The gRPC status code of the call (grpc only). */
  grpcCode?: number;
  /**
   * grpc only: the status came from the server's grpc-status trailer (true), or grpc-js made it
   * up from an HTTP answer that carried none (false: the server does not speak gRPC there).
   */
  grpcFromServer?: boolean;
  alert?: string;
  code?: string;
  detail?: string;
}

export interface ClientAttempt {
  protocol: Protocol;
  host: string;
  port: number;
  /** SNI and the name the server certificate is checked against; default: host. */
  servername?: string;
  tls: TlsVersion;
  /** PEM chain the client presents (leaf first) and its key; both absent = no certificate. */
  certChain?: string;
  key?: string;
  /** PEM the client trusts for the server. */
  serverTrust: string;
  /** Path requested by https and h2 (per-route servers); default '/'. */
  path?: string;
  timeoutMs: number;
  /** Aborts the attempt (Ctrl-C); the result is then a timeout-like 'error'. */
  signal?: AbortSignal;
}

export interface ClientResult {
  protocol: Protocol;
  handshake: HandshakeObservation;
  request: RequestObservation;
  /** The client's source port, when a socket was made (links to the server's view). */
  localPort?: number;
  /** ms since epoch: the attempt's window, for gRPC where the socket is not visible. */
  startedAt: number;
  endedAt: number;
  /** What the server answered about itself (its JSON view), when it answered. */
  answer?: unknown;
}
