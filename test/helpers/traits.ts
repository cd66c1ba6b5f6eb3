/** Identity traits as the standard PKI defines them, for pure tests of the oracle and planner. */
import type { IdentityTraits } from '../../src/pki/types.js';

const valid: IdentityTraits = {
  presents: true,
  issuer: 'root',
  sendsIntermediate: false,
  chainsToClientCa: true,
  validity: 'current',
  clientAuthEku: true,
  revoked: false,
  trustsServer: true,
  verifyError: null,
  verifyErrorWithoutCrl: null,
};

export const TRAITS: Record<string, IdentityTraits> = {
  none: { ...valid, presents: false, issuer: null, chainsToClientCa: false },
  valid,
  chain: { ...valid, issuer: 'intermediate', sendsIntermediate: true },
  'chain-no-intermediate': {
    ...valid,
    issuer: 'intermediate',
    chainsToClientCa: false,
    verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  },
  'self-signed': {
    ...valid,
    issuer: 'self',
    chainsToClientCa: false,
    verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  },
  'untrusted-ca': {
    ...valid,
    issuer: 'unrelated',
    chainsToClientCa: false,
    verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  },
  expired: { ...valid, validity: 'expired', verifyError: 'CERT_HAS_EXPIRED' },
  'not-yet-valid': { ...valid, validity: 'not-yet-valid', verifyError: 'CERT_NOT_YET_VALID' },
  'wrong-eku': { ...valid, clientAuthEku: false, verifyError: 'INVALID_PURPOSE' },
  revoked: { ...valid, revoked: true, verifyError: 'CERT_REVOKED' },
  rsa: valid,
  ed25519: valid,
  'wrong-server-trust': { ...valid, trustsServer: false },
};
