/**
 * The standard client identities as data: how each is issued and what it is. The two
 * verify-error columns were measured against a real Node 20 TLS server (requestCert,
 * ca: the root, with and without the CRLs); test/pki/verify-errors.test.ts re-measures
 * them on every run, so a change in Node or OpenSSL shows up as a failing test.
 */
import type { IdentityTraits, Issuer, KeyType, StandardIdentityName } from './types.js';

export interface IdentitySpec {
  name: StandardIdentityName;
  description: string;
  /** null: the client has no certificate. */
  issuer: Issuer | null;
  sendsIntermediate: boolean;
  validity: IdentityTraits['validity'];
  clientAuthEku: boolean;
  revoked: boolean;
  trustsServer: boolean;
  /** A fixed key type, instead of the PKI's. */
  keyType?: KeyType;
  verifyError: string | null;
  verifyErrorWithoutCrl: string | null;
}

const base = {
  issuer: 'root',
  sendsIntermediate: false,
  validity: 'current',
  clientAuthEku: true,
  revoked: false,
  trustsServer: true,
  verifyError: null,
  verifyErrorWithoutCrl: null,
} as const satisfies Partial<IdentitySpec>;

export const IDENTITY_SPECS: readonly IdentitySpec[] = [
  { ...base, name: 'none', description: 'no client certificate at all', issuer: null },
  { ...base, name: 'valid', description: 'signed by the client CA (root), EKU clientAuth' },
  {
    ...base,
    name: 'chain',
    description: 'signed by the intermediate CA; sends leaf + intermediate',
    issuer: 'intermediate',
    sendsIntermediate: true,
  },
  {
    ...base,
    name: 'chain-no-intermediate',
    description: 'signed by the intermediate CA; sends the leaf only',
    issuer: 'intermediate',
    // OpenSSL says "unable to verify the first certificate" when the peer sent one lone certificate.
    verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    verifyErrorWithoutCrl: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  },
  {
    ...base,
    name: 'self-signed',
    description: 'a self-signed leaf no CA vouches for',
    issuer: 'self',
    // Node reports the LAST error OpenSSL found; with CRL checks on, the missing CRL for a
    // self-signed leaf comes after "self-signed certificate".
    verifyError: 'UNABLE_TO_GET_CRL',
    verifyErrorWithoutCrl: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  {
    ...base,
    name: 'untrusted-ca',
    description: 'signed by an unrelated CA the server does not trust',
    issuer: 'unrelated',
    verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    verifyErrorWithoutCrl: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  },
  {
    ...base,
    name: 'expired',
    description: 'signed by the root, validity ended yesterday',
    validity: 'expired',
    verifyError: 'CERT_HAS_EXPIRED',
    verifyErrorWithoutCrl: 'CERT_HAS_EXPIRED',
  },
  {
    ...base,
    name: 'not-yet-valid',
    description: 'signed by the root, validity starts tomorrow',
    validity: 'not-yet-valid',
    verifyError: 'CERT_NOT_YET_VALID',
    verifyErrorWithoutCrl: 'CERT_NOT_YET_VALID',
  },
  {
    ...base,
    name: 'wrong-eku',
    description: 'signed by the root, but EKU serverAuth only',
    clientAuthEku: false,
    verifyError: 'INVALID_PURPOSE',
    verifyErrorWithoutCrl: 'INVALID_PURPOSE',
  },
  {
    ...base,
    name: 'revoked',
    description: "signed by the root and listed in the root's CRL",
    revoked: true,
    verifyError: 'CERT_REVOKED',
  },
  { ...base, name: 'rsa', description: 'like valid, with an RSA 2048 key', keyType: 'rsa-2048' },
  { ...base, name: 'ed25519', description: 'like valid, with an Ed25519 key', keyType: 'ed25519' },
  {
    ...base,
    name: 'wrong-server-trust',
    description: "a valid client certificate, but the client trusts the unrelated CA, not the server's",
    trustsServer: false,
  },
];

export function traitsOf(spec: IdentitySpec): IdentityTraits {
  return {
    presents: spec.issuer !== null,
    issuer: spec.issuer,
    sendsIntermediate: spec.sendsIntermediate,
    chainsToClientCa: spec.issuer === 'root' || (spec.issuer === 'intermediate' && spec.sendsIntermediate),
    validity: spec.validity,
    clientAuthEku: spec.clientAuthEku,
    revoked: spec.revoked,
    trustsServer: spec.trustsServer,
    verifyError: spec.verifyError,
    verifyErrorWithoutCrl: spec.verifyErrorWithoutCrl,
  };
}
