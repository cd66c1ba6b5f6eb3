/** What a certificate, private key or CRL holds, in terms people read (for `inspect`). */
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { certificateInfo, describeKey, oneLineName } from './info.js';
import { type ValidityWords, validityInWords } from './time-words.js';
import type { CertificateInfo } from './types.js';
import { x509 } from './x509.js';

export interface CertificateDetails extends CertificateInfo {
  /** e.g. "DNS:localhost", "IP Address:127.0.0.1", "URI:spiffe://..." */
  subjectAltNames: string[];
  keyUsage: string[];
  extendedKeyUsage: string[];
  ca: boolean;
  pathLength?: number;
  selfSigned: boolean;
  validity: ValidityWords;
}

export interface KeyDetails {
  keyType: string;
  /** Subject of a certificate in the same file that this key belongs to. */
  matches?: string;
}

export interface CrlDetails {
  issuer: string;
  thisUpdate: string;
  nextUpdate?: string;
  /** Whether the CRL itself is past its nextUpdate. */
  validity?: ValidityWords;
  revoked: { serial: string; date: string; reason?: string }[];
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

function keyUsageNames(flags: number): string[] {
  return Object.entries(x509.KeyUsageFlags)
    .filter(([name, bit]) => typeof bit === 'number' && Number.isNaN(Number(name)) && (flags & bit) !== 0)
    .map(([name]) => name);
}

export function describeCertificate(der: Buffer, now = new Date()): CertificateDetails {
  const node = new X509Certificate(der);
  const parsed = new x509.X509Certificate(der);
  const usages = parsed.getExtension(x509.KeyUsagesExtension);
  const constraints = parsed.getExtension(x509.BasicConstraintsExtension);
  const info = certificateInfo(node);
  return {
    ...info,
    subjectAltNames: node.subjectAltName ? node.subjectAltName.split(', ') : [],
    keyUsage: usages ? keyUsageNames(usages.usages) : [],
    extendedKeyUsage: (node.keyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    ca: node.ca,
    ...(constraints?.pathLength !== undefined ? { pathLength: constraints.pathLength } : {}),
    selfSigned: node.subject === node.issuer && node.verify(node.publicKey),
    validity: validityInWords(new Date(info.notBefore), new Date(info.notAfter), now),
  };
}

export function describeKeyObject(key: KeyObject, certificates: Buffer[]): KeyDetails {
  const match = certificates.map((der) => new X509Certificate(der)).find((cert) => cert.checkPrivateKey(key));
  return {
    keyType: describeKey(createPublicKey(key)),
    ...(match ? { matches: oneLineName(match.subject) } : {}),
  };
}

export function describeCrl(der: Buffer, now = new Date()): CrlDetails {
  const crl = new x509.X509Crl(der);
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.toISOString(),
    ...(crl.nextUpdate
      ? {
          nextUpdate: crl.nextUpdate.toISOString(),
          validity: validityInWords(crl.thisUpdate, crl.nextUpdate, now),
        }
      : {}),
    revoked: crl.entries.map((entry) => ({
      serial: entry.serialNumber.toLowerCase(),
      date: entry.revocationDate.toISOString(),
      ...(entry.reason !== undefined ? { reason: x509.X509CrlReason[entry.reason] } : {}),
    })),
  };
}
