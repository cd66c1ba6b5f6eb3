/**
 * The TLS settings every protocol's client shares: the version pinned on both ends
 * (min = max), the server trust, the client's certificate, SNI and the name check.
 */
import { isIP } from 'node:net';
import {
  type ConnectionOptions,
  checkServerIdentity,
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
} from 'node:tls';
import type { TlsVersion } from '../servers/types.js';
import type { AttemptScope } from './attempt-scope.js';
import { classifyHandshakeError } from './classify.js';
import type { ClientAttempt } from './types.js';

export function nodeTlsVersion(version: TlsVersion): 'TLSv1.2' | 'TLSv1.3' {
  return version === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
}

/**
 * Secure contexts are shared by attempts with the same trust, certificate, key and
 * version, as an HTTPS agent shares one: parsing PEM for every cell was a large part of a
 * run's CPU time. Sharing does not resume sessions (Node resumes only when handed a
 * session, and the servers issue no tickets), so every cell still does a full handshake.
 */
const MAX_CONTEXTS = 256;
let cached = 0;
// Keyed by the PEM strings themselves, nested: V8 caches a string's hash on the string, so
// looking up the same identity's PEM again is cheap, unlike hashing a fresh joined key.
const byTrust = new Map<string, Map<string, Map<string, SecureContext>>>();

/**
 * The client's secure context. Built before any socket exists, so a key that does not
 * match its certificate or a corrupt PEM fails here (client_error) without touching the server.
 */
export function clientSecureContext(attempt: ClientAttempt): SecureContext {
  const trust = `${attempt.tls}\0${attempt.serverTrust}`;
  const byChain = byTrust.get(trust) ?? new Map<string, Map<string, SecureContext>>();
  byTrust.set(trust, byChain);
  const chain = attempt.certChain ?? '';
  const byKey = byChain.get(chain) ?? new Map<string, SecureContext>();
  byChain.set(chain, byKey);
  let context = byKey.get(attempt.key ?? '');
  if (!context) {
    context = buildSecureContext(attempt);
    if (++cached > MAX_CONTEXTS) {
      byTrust.clear();
      cached = 0;
    }
    byKey.set(attempt.key ?? '', context);
  }
  return context;
}

function buildSecureContext(attempt: ClientAttempt): SecureContext {
  const version = nodeTlsVersion(attempt.tls);
  return createSecureContext({
    ca: attempt.serverTrust,
    ...(attempt.certChain !== undefined ? { cert: attempt.certChain } : {}),
    ...(attempt.key !== undefined ? { key: attempt.key } : {}),
    minVersion: version,
    maxVersion: version,
  });
}

/**
 * The attempt's secure context, or undefined after recording why it could not be built
 * (a key that does not match its certificate, corrupt PEM): a client-side handshake failure.
 */
export function secureContextOrFail(scope: AttemptScope): SecureContext | undefined {
  try {
    return clientSecureContext(scope.attempt);
  } catch (error) {
    scope.failHandshake(classifyHandshakeError(error));
    return undefined;
  }
}

/** The name the server's certificate must carry. */
export function expectedServerName(attempt: ClientAttempt): string {
  return attempt.servername ?? attempt.host;
}

/** What the client made of the server's certificate, when Node got as far as the name check. */
export interface ServerCertCheck {
  outcome?: 'accepted' | 'refused';
}

/**
 * The server certificate must carry `name` (not whatever host Node or grpc-js would pick).
 * Node calls this only after the chain verified against `ca`, so a recorded outcome also
 * tells that the handshake reached the client's own judgement of the server.
 */
export function pinnedIdentityCheck(
  name: string,
  record?: ServerCertCheck,
): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    const error = checkServerIdentity(name, cert);
    if (record) record.outcome = error ? 'refused' : 'accepted';
    return error;
  };
}

/** tls.connect options for one attempt (no socket-level timeout: the attempt scope bounds it). */
export function tlsConnectOptions(
  attempt: ClientAttempt,
  secureContext: SecureContext,
  alpn: string[] | undefined,
): ConnectionOptions {
  const name = expectedServerName(attempt);
  return {
    host: attempt.host,
    port: attempt.port,
    secureContext,
    // RFC 6066 forbids an IP address as SNI and Node warns when given one.
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ...(alpn ? { ALPNProtocols: alpn } : {}),
    checkServerIdentity: pinnedIdentityCheck(name),
  };
}

/** Negotiated ALPN as the contract spells it: null when none. */
export function alpnOf(protocol: string | false | null | undefined): string | null {
  return protocol ? protocol : null;
}
