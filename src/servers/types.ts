/** What a server saw of one connection: recorded for the matrix, printed by `serve`. */
import type { Mode } from '../modes.js';

/** gRPC trailer in which the server sends its JSON view of the connection with every answer. */
export const GRPC_VIEW_TRAILER = 'x-mtls-lab-view';

export type Protocol = 'tls' | 'https' | 'h2' | 'grpc';
export const PROTOCOLS: readonly Protocol[] = ['tls', 'https', 'h2', 'grpc'];

export type TlsVersion = '1.2' | '1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];

export interface ServerView {
  /** Increasing per server. */
  connection: number;
  /** The client's source port on loopback: how the matrix ties a view to its cell. */
  remotePort: number;
  /** The client's address ('127.0.0.1' or '::1'). */
  remoteAddress?: string;
  /** ms since epoch when TCP accepted the connection. */
  acceptedAt: number;
  mode: Mode;
  /** 'TLSv1.2' / 'TLSv1.3' as Node reports, null when the handshake failed. */
  tlsVersion: string | null;
  /** Negotiated ALPN, null when none. */
  alpn: string | null;
  /** Protocol the server served, once known (null when rejected before). */
  protocol: Protocol | null;
  /** The client sent a certificate. */
  presented: boolean;
  subject?: string;
  /** SHA-256 fingerprint as Node prints it (AA:BB:...). */
  fingerprint?: string;
  /** URI SAN (the identity's spiffe:// name) when present. */
  uri?: string;
  /** Verified against the client CA; null when the mode does not verify. */
  verified: boolean | null;
  /** OpenSSL/Node verification code, e.g. CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT_LOCALLY. */
  verifyError: string | null;
  decision: 'accepted' | 'rejected';
  /** Where the rejection happened. */
  stage: 'handshake' | 'after-handshake' | 'request' | null;
  /** Why, in words. */
  reason: string;
  /** Route that handled the request, for per-route policies. */
  route?: string;
}
