/** CertificateInfo for any certificate, read with Node's own X509 parser (as a TLS peer sees it). */
import { type KeyObject, X509Certificate } from 'node:crypto';
import type { CertificateInfo } from './types.js';

const CURVE_NAMES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** "ECDSA P-256", "RSA 2048", "Ed25519", ... */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `ECDSA ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? '?'}`;
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? '?'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}

/** Node prints a distinguished name one attribute per line; we show it on one. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

export function certificateInfo(cert: X509Certificate | string | Buffer): CertificateInfo {
  const parsed = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  return {
    subject: oneLineName(parsed.subject),
    issuer: oneLineName(parsed.issuer),
    serial: parsed.serialNumber.toLowerCase(),
    notBefore: new Date(parsed.validFrom).toISOString(),
    notAfter: new Date(parsed.validTo).toISOString(),
    sha256: parsed.fingerprint256,
    keyType: describeKey(parsed.publicKey),
  };
}
