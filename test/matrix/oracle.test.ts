import { describe, expect, it } from 'vitest';
import {
  expectCell,
  failureKinds,
  type ServerChecks,
  verificationProblems,
} from '../../src/matrix/oracle.js';
import { MODES, type Mode, resolveBehaviour } from '../../src/modes.js';
import { TRAITS } from '../helpers/traits.js';

const A = 'accepted';
const R = 'rejected';

// Rows: identity; columns in MODES order. This is the product's promise table, written out by hand.
const EXPECTED: Record<string, [string, string, string, string, string]> = {
  none: [A, A, R, A, R],
  valid: [A, A, A, A, A],
  chain: [A, A, A, A, A],
  'chain-no-intermediate': [A, A, A, R, R],
  'self-signed': [A, A, A, R, R],
  'untrusted-ca': [A, A, A, R, R],
  expired: [A, A, A, R, R],
  'not-yet-valid': [A, A, A, R, R],
  'wrong-eku': [A, A, A, R, R],
  revoked: [A, A, A, R, R],
  rsa: [A, A, A, A, A],
  ed25519: [A, A, A, A, A],
  'wrong-server-trust': [R, R, R, R, R],
};

describe('oracle', () => {
  for (const [identity, row] of Object.entries(EXPECTED)) {
    MODES.forEach((mode: Mode, column) => {
      it(`${mode} × ${identity} → ${row[column]}`, () => {
        const expectation = expectCell(mode, TRAITS[identity]!, { checksCrl: true });
        expect(expectation.verdict).toBe(row[column]);
        expect(expectation.source).toBe('oracle');
        expect(expectation.reason.length).toBeGreaterThan(10);
      });
    });
  }

  it('accepts a revoked certificate when the server does not check CRLs, and says why', () => {
    const expectation = expectCell('require_and_verify_client_cert', TRAITS.revoked!, { checksCrl: false });
    expect(expectation).toMatchObject({ verdict: 'accepted', reason: expect.stringContaining('CRL') });
  });

  it('names every problem of a certificate with several', () => {
    const traits = {
      ...TRAITS.expired!,
      clientAuthEku: false,
      issuer: 'self' as const,
      chainsToClientCa: false,
    };
    const { reason } = expectCell('verify_client_cert_if_given', traits, { checksCrl: true });
    expect(reason).toMatch(/self-signed.*expired.*clientAuth/);
  });
});

// nginx optional_no_ca = verify_client_cert_if_given forgiving untrusted-issuer, measured on
// nginx 1.22 / OpenSSL 3.0 with every standard identity, without and with ssl_crl: 200 or 400.
const NGINX = resolveBehaviour('optional_no_ca');
const OPTIONAL_NO_CA: [identity: string, withoutCrl: string, withCrl: string][] = [
  ['none', A, A],
  ['valid', A, A],
  ['chain', A, A],
  ['chain-no-intermediate', A, A],
  // With ssl_crl, OpenSSL finds no CRL for a self-signed leaf: "unable to get certificate CRL".
  ['self-signed', A, R],
  ['untrusted-ca', A, A],
  ['expired', R, R],
  ['not-yet-valid', R, R],
  ['wrong-eku', R, R],
  ['revoked', A, R],
  ['rsa', A, A],
  ['ed25519', A, A],
  ['wrong-server-trust', R, R],
];

describe('oracle with forgives', () => {
  const verdict = (identity: string, checks: ServerChecks, mode: Mode = NGINX.mode) =>
    expectCell(mode, TRAITS[identity]!, checks).verdict;

  it.each(OPTIONAL_NO_CA)(
    'optional_no_ca × %s → %s without CRL checks, %s with',
    (identity, without, withCrl) => {
      expect(verdict(identity, { checksCrl: false, forgives: NGINX.forgives })).toBe(without);
      expect(verdict(identity, { checksCrl: true, forgives: NGINX.forgives })).toBe(withCrl);
    },
  );

  it('says what it forgave, and what it did not', () => {
    const checks = { checksCrl: true, forgives: NGINX.forgives };
    expect(expectCell(NGINX.mode, TRAITS['untrusted-ca']!, checks).reason).toBe(
      'issued by a CA the server does not trust, but the server forgives an untrusted issuer (nginx optional_no_ca)',
    );
    expect(expectCell(NGINX.mode, TRAITS.expired!, checks).reason).toBe(
      'the certificate does not verify: expired',
    );
    expect(expectCell(NGINX.mode, TRAITS['self-signed']!, checks).reason).toMatch(
      /no CRL can vouch for a self-signed certificate \(the server forgives untrusted-issuer, not that\)$/,
    );
  });

  it('allow_expired × expired → accepted, and says allow_expired', () => {
    const expectation = expectCell('require_and_verify_client_cert', TRAITS.expired!, {
      checksCrl: true,
      forgives: ['expired'],
    });
    expect(expectation).toMatchObject({
      verdict: A,
      reason: expect.stringMatching(/forgives expired.*allow_expired/),
    });
  });

  it.each([
    ['not-yet-valid', 'not-yet-valid'],
    ['wrong-eku', 'wrong-eku'],
  ] as const)('forgiving %s accepts that identity and no other failing one', (identity, kind) => {
    expect(verdict(identity, { checksCrl: true, forgives: [kind] }, 'require_and_verify_client_cert')).toBe(
      A,
    );
    expect(verdict('expired', { checksCrl: true, forgives: [kind] }, 'require_and_verify_client_cert')).toBe(
      R,
    );
  });

  it('forgives nothing in modes that do not verify, and never a revocation', () => {
    expect(
      verdict('none', { checksCrl: true, forgives: NGINX.forgives }, 'require_and_verify_client_cert'),
    ).toBe(R);
    const everything = {
      checksCrl: true,
      forgives: ['untrusted-issuer', 'expired', 'not-yet-valid', 'wrong-eku'],
    } as const;
    expect(verdict('revoked', everything, 'require_and_verify_client_cert')).toBe(R);
  });

  it('names the failure kinds an identity exercises', () => {
    const kinds = (identity: string, checks: Parameters<typeof failureKinds>[1] = { checksCrl: true }) =>
      failureKinds(TRAITS[identity]!, checks);
    expect(kinds('none')).toEqual([]);
    expect(kinds('valid')).toEqual([]);
    expect(kinds('self-signed')).toEqual(['untrusted-issuer', 'no-crl']);
    expect(kinds('self-signed', { checksCrl: false })).toEqual(['untrusted-issuer']);
    expect(kinds('chain-no-intermediate')).toEqual(['untrusted-issuer']);
    expect(kinds('chain-no-intermediate', { checksCrl: false, trustAnchor: 'intermediate' })).toEqual([]);
    expect(kinds('expired')).toEqual(['expired']);
    expect(kinds('not-yet-valid')).toEqual(['not-yet-valid']);
    expect(kinds('wrong-eku')).toEqual(['wrong-eku']);
    expect(kinds('revoked')).toEqual(['revoked']);
    expect(kinds('revoked', { checksCrl: false })).toEqual([]);
  });

  it('leaves forgiven failures out of the problems', () => {
    expect(verificationProblems(TRAITS.expired!, { checksCrl: true, forgives: ['expired'] })).toEqual([]);
    expect(verificationProblems(TRAITS.expired!, { checksCrl: true })).toEqual(['expired']);
  });
});
