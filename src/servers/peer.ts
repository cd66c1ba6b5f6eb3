/** What a server can see of the client's certificate, read while the TLS socket is alive. */
import { X509Certificate } from 'node:crypto';
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

const chains = new WeakMap<Pick<TLSSocket, 'getPeerCertificate'>, X509Certificate[]>();

/**
 * The certificates the client sent, leaf first, read once per connection and kept. Node (20)
 * hands out the issuers it found in the peer's chain to the first call that asks for them
 * (getPeerCertificate(true) or getPeerX509Certificate()), and later calls see the leaf alone:
 * so the first read is the only one, and every later question is answered from it.
 */
export function peerChain(socket: Pick<TLSSocket, 'getPeerCertificate'>): X509Certificate[] {
  const known = chains.get(socket);
  if (known) return known;
  const certs: X509Certificate[] = [];
  try {
    let cert = socket.getPeerCertificate(true);
    const seen = new Set<string>();
    // Bounded: a chain longer than 10 is refused by any verifier anyway.
    while (cert?.raw && !seen.has(cert.fingerprint256) && certs.length < 10) {
      seen.add(cert.fingerprint256);
      certs.push(new X509Certificate(cert.raw));
      cert = cert.issuerCertificate;
    }
  } catch {
    // The handle is gone: nothing to read, and nothing worth remembering.
    return certs;
  }
  // Only a live read is kept: once Node destroyed the socket it reports nothing.
  if (certs.length > 0) chains.set(socket, certs);
  return certs;
}

/**
 * Reads the peer certificate. After Node destroyed the socket the handle is gone and this
 * returns "nothing", which is why the connection tracker snapshots it before Node's own
 * 'secure' handler runs.
 */
export function snapshotPeer(socket: TLSSocket): PeerSnapshot {
  const [cert] = peerChain(socket);
  if (!cert) return NOTHING;
  const uri = firstUri(cert.subjectAltName);
  return {
    presented: true,
    subject: oneLineName(cert.subject),
    fingerprint: cert.fingerprint256,
    ...(uri ? { uri } : {}),
  };
}
