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
  /** The application refused: HTTP 401/403, gRPC UNAUTHENTICATED/PERMISSION_DENIED. */
  | 'refused'
  /** A TLS alert on the first read (TLS 1.3: the server judges the client's cert after the client is done). */
  | 'alert'
  /** Closed or reset with no answer. */
  | 'closed'
  | 'timeout'
  /** Not attempted because the handshake failed. */
  | 'skipped'
  /** An answer that is neither ok nor a refusal (e.g. HTTP 500), or an unclassified error. */
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
}

export interface RequestObservation {
  kind: RequestKind;
  /** 'HTTP 200', 'gRPC OK (SERVING)', 'gRPC UNAVAILABLE', 'echo'. */
  status?: string;
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
