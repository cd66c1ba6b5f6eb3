/** What a server can see of the client's certificate, read while the TLS socket is alive. */
import type { TLSSocket } from 'node:tls';
import { oneLineName } from '../pki/info.js';

export interface PeerSnapshot {
  presented: boolean;
  subject?: string;
  fingerprint?: string;
  uri?: string;
}

const NOTHING: PeerSnapshot = { presented: false };

/** The first URI SAN (the identity's spiffe:// name); Node lists SANs as "DNS:a, URI:b". */
export function firstUri(subjectAltName: string | undefined): string | undefined {
  for (const entry of (subjectAltName ?? '').split(/,\s*/)) {
    if (entry.startsWith('URI:')) return entry.slice(4);
  }
  return undefined;
}

/**
 * Reads the peer certificate. After Node destroyed the socket the handle is gone and this
 * returns "nothing", which is why the connection tracker snapshots it before Node's own
 * 'secure' handler runs.
 */
export function snapshotPeer(socket: TLSSocket): PeerSnapshot {
  let cert: ReturnType<TLSSocket['getPeerX509Certificate']>;
  try {
    cert = socket.getPeerX509Certificate();
  } catch {
    return NOTHING;
  }
  if (!cert) return NOTHING;
  const uri = firstUri(cert.subjectAltName);
  return {
    presented: true,
    subject: oneLineName(cert.subject),
    fingerprint: cert.fingerprint256,
    ...(uri ? { uri } : {}),
  };
}
