/**
 * Issuing certificates and CRLs with @peculiar/x509. Every certificate carries SKI and AKI
 * (OpenSSL's -x509_strict requires AKI on issued certificates and SKI on CAs) and a random
 * positive serial of well over 64 bits.
 */
import { createHash, KeyObject, randomBytes, type webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { isRsa, signingAlgorithm } from './keys.js';
import type { KeyType } from './types.js';
import { x509 } from './x509.js';

/** A certificate together with the key that signs in its name. */
export interface Signer {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  keyType: KeyType;
}

export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** 16 random bytes with the top bit cleared (positive) and the next set (no DER leading-zero trim). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export interface Window {
  notBefore: Date;
  notAfter: Date;
}

export function subjectName(commonName: string): string {
  return `CN=${commonName}, O=mtls-lab`;
}

interface PublicKeyFacts {
  spki: Buffer;
  keyId: string;
}
const publicKeyFacts = new WeakMap<webcrypto.CryptoKey, PublicKeyFacts>();

/**
 * The SPKI and key identifier of a public key, exported synchronously and cached: the root's
 * key is the authority key of most certificates, and x509's own helpers would export and hash
 * it again (on the thread pool) for each one. The identifier is the SHA-1 of the whole SPKI,
 * one of the methods RFC 7093 allows; verifiers only compare it with the issuer's SKI.
 */
function factsOf(publicKey: webcrypto.CryptoKey): PublicKeyFacts {
  let facts = publicKeyFacts.get(publicKey);
  if (!facts) {
    const spki = KeyObject.from(publicKey).export({ type: 'spki', format: 'der' });
    facts = { spki, keyId: createHash('sha1').update(spki).digest('hex') };
    publicKeyFacts.set(publicKey, facts);
  }
  return facts;
}

function keyIdExtensions(
  publicKey: webcrypto.CryptoKey,
  issuerPublicKey: webcrypto.CryptoKey,
): x509.Extension[] {
  return [
    new x509.SubjectKeyIdentifierExtension(factsOf(publicKey).keyId),
    new x509.AuthorityKeyIdentifierExtension(factsOf(issuerPublicKey).keyId),
  ];
}

export interface CaParams extends Window {
  commonName: string;
  keys: webcrypto.CryptoKeyPair;
  keyType: KeyType;
  /** Absent for a self-signed root. */
  issuer?: Signer;
  pathLength: number;
}

export async function issueCa(params: CaParams): Promise<Signer> {
  const issuer = params.issuer ?? { keys: params.keys, keyType: params.keyType, cert: undefined };
  const extensions = [
    new x509.BasicConstraintsExtension(true, params.pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ...keyIdExtensions(params.keys.publicKey, issuer.keys.publicKey),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(params.commonName),
    issuer: issuer.cert ? issuer.cert.subjectName : subjectName(params.commonName),
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    publicKey: Uint8Array.from(factsOf(params.keys.publicKey).spki),
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keyType),
    extensions,
  });
  return { cert, keys: params.keys, keyType: params.keyType };
}

export interface LeafParams extends Window {
  commonName: string;
  keys: webcrypto.CryptoKeyPair;
  keyType: KeyType;
  /** 'self' for a self-signed leaf. */
  issuer: Signer | 'self';
  extendedKeyUsages: string[];
  /** DNS names and IP addresses (told apart with net.isIP). */
  hosts?: string[];
  uris?: string[];
  /** Hex serial, when the caller needs to know it before the certificate exists. */
  serial?: string;
}

function generalNames(hosts: string[], uris: string[]): x509.JsonGeneralNames {
  return [
    ...hosts.map((host) => ({ type: isIP(host) ? ('ip' as const) : ('dns' as const), value: host })),
    ...uris.map((uri) => ({ type: 'url' as const, value: uri })),
  ];
}

export async function issueLeaf(params: LeafParams): Promise<Signer> {
  const issuer: Signer | undefined = params.issuer === 'self' ? undefined : params.issuer;
  const signingKeys = issuer?.keys ?? params.keys;
  // RSA keys may also be used for key transport in TLS 1.2 RSA key exchange.
  const usages = isRsa(params.keyType)
    ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
    : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    new x509.ExtendedKeyUsageExtension(params.extendedKeyUsages, false),
    new x509.SubjectAlternativeNameExtension(generalNames(params.hosts ?? [], params.uris ?? []), false),
    ...keyIdExtensions(params.keys.publicKey, signingKeys.publicKey),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: params.serial ?? randomSerial(),
    subject: subjectName(params.commonName),
    issuer: issuer ? issuer.cert.subjectName : subjectName(params.commonName),
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    publicKey: Uint8Array.from(factsOf(params.keys.publicKey).spki),
    signingKey: signingKeys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer?.keyType ?? params.keyType),
    extensions,
  });
  return { cert, keys: params.keys, keyType: params.keyType };
}

/** A CRL Number extension (RFC 5280 5.2.3), which OpenSSL prints and some verifiers expect. */
function crlNumberExtension(value: number): x509.Extension {
  return new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, value]));
}

export async function issueCrl(
  issuer: Signer,
  revokedSerials: string[],
  thisUpdate: Date,
  nextUpdate: Date,
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: issuer.cert.subjectName,
    thisUpdate,
    nextUpdate,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keyType),
    extensions: [
      new x509.AuthorityKeyIdentifierExtension(factsOf(issuer.keys.publicKey).keyId),
      crlNumberExtension(1),
    ],
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: thisUpdate,
      reason: x509.X509CrlReason.keyCompromise,
    })),
  });
}
