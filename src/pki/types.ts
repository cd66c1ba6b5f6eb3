/**
 * The in-memory PKI every other part of mtls-lab works with. `generatePki()` builds it,
 * `writePki()` lays it out on disk with manifest.json, `loadPki()` reads it back.
 * All certificate and key material is PEM text.
 */

export const KEY_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Defaults of `gen` and of scenarios, here where loading them costs nothing (`--help` shows them). */
export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';
export const DEFAULT_DAYS = 365;
/** The longest validity, in days, on the command line and in scenarios alike (100 years). */
export const MAX_DAYS = 36_500;
export const DEFAULT_P12_PASSWORD = 'changeit';

/** The standard client identities of the product, in report order. */
export const STANDARD_IDENTITIES = [
  'none',
  'valid',
  'chain',
  'chain-no-intermediate',
  'self-signed',
  'untrusted-ca',
  'expired',
  'not-yet-valid',
  'wrong-eku',
  'revoked',
  'rsa',
  'ed25519',
  'wrong-server-trust',
] as const;
export type StandardIdentityName = (typeof STANDARD_IDENTITIES)[number];

/** Who signed a client certificate. */
export type Issuer = 'root' | 'intermediate' | 'unrelated' | 'self';

/**
 * What an identity is, as facts the oracle reasons from. Nothing here is an expected
 * outcome; the oracle combines these with a mode's promise.
 */
export interface IdentityTraits {
  /** The client sends a certificate when asked. */
  presents: boolean;
  /** Who signed the leaf (null for `none`). */
  issuer: Issuer | null;
  /** For intermediate-issued leaves: the chain the client sends includes the intermediate. */
  sendsIntermediate: boolean;
  /** With what it sends, the leaf builds a path to the client CA (the root). */
  chainsToClientCa: boolean;
  validity: 'current' | 'expired' | 'not-yet-valid';
  /** EKU allows clientAuth (absent EKU would also allow it; ours always set one). */
  clientAuthEku: boolean;
  /** Listed in its issuer's CRL. */
  revoked: boolean;
  /** The client trusts the CA that issued the server's certificate. */
  trustsServer: boolean;
  /**
   * The error code a verifying OpenSSL-based server (Node) reports for this certificate
   * when it trusts the root and checks CRLs, e.g. CERT_HAS_EXPIRED; null when it verifies.
   */
  verifyError: string | null;
  /** The same, for a verifying server that does not check CRLs. */
  verifyErrorWithoutCrl: string | null;
  /**
   * Set when these traits were computed by inspecting the certificate against the CAs a
   * server trusts (a certificate the user brought with --client-cert, or any identity judged
   * against --client-ca) rather than taken from the identity's spec. `issuer` then says how
   * the leaf relates to that trust: 'root' = it chains to a trusted CA, 'self' = self-signed,
   * 'unrelated' = anything else.
   */
  inspected?: InspectedTrust;
}

/** What inspecting a certificate against a server's trust found, beyond the plain traits. */
export interface InspectedTrust {
  /** What it was checked against, in words ("--client-ca ca.pem"); null: nobody said what the server trusts. */
  trust: string | null;
  /** Why it does not chain to that trust, in words; null when it does (or trust is null). */
  untrustedWhy: string | null;
  /** A CRL from the issuer of every certificate on its path was at hand, so `revoked` is a fact. */
  revocationKnown: boolean;
  /** A server that checks only the CRLs at hand finds none for some certificate on its path. */
  crlMissing: boolean;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Hex, lower case, no separators. */
  serial: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, upper-case hex pairs joined by ':' (as Node's fingerprint256). */
  sha256: string;
  keyType: string;
}

export interface IdentityMaterial {
  name: string;
  description: string;
  /** Leaf certificate PEM (absent for `none`). */
  cert?: string;
  /** Private key PEM (PKCS#8). */
  key?: string;
  /** What the client sends: leaf first, then any intermediates (PEM). */
  chain?: string;
  /** What the client trusts for the server's certificate (PEM). */
  serverTrust: string;
  traits: IdentityTraits;
  info?: CertificateInfo;
}

export interface PkiMaterial {
  keyType: KeyType;
  /** PEM the clients trust for the server (the root). */
  serverCa: string;
  /** PEM a verifying server trusts for client certificates: the root only. */
  clientCa: string;
  /** All CRLs (root's, listing the revoked identity, and the intermediate's), PEM concatenated. */
  crl: string;
  server: { cert: string; key: string; chain: string; info: CertificateInfo };
  cas: Record<'root' | 'intermediate' | 'unrelated', { cert: string; key: string; info: CertificateInfo }>;
  identities: IdentityMaterial[];
  /** Where it was loaded from or written to, if anywhere. */
  dir?: string;
}

export interface GenerateOptions {
  keyType?: KeyType;
  /** Validity of the current certificates, in days. */
  days?: number;
  /** Extra server names (DNS names or IP addresses) beyond localhost, 127.0.0.1 and ::1. */
  hosts?: string[];
  /** Clock used for validity windows (tests). */
  now?: Date;
}

export function findIdentity(pki: PkiMaterial, name: string): IdentityMaterial | undefined {
  return pki.identities.find((identity) => identity.name === name);
}
