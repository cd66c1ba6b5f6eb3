import { describe, expect, it } from 'vitest';
import { expectCell } from '../../src/matrix/oracle.js';
import { MODES, type Mode } from '../../src/modes.js';
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
