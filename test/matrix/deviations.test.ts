/** Engine deviations as data: which cells they reach, and what they change in the expectation. */
import { describe, expect, it } from 'vitest';
import type { Deviation } from '../../src/engines/types.js';
import { certificateCases, engineExpectation } from '../../src/matrix/deviations.js';
import { meetsCellExpectation } from '../../src/matrix/verdict.js';
import type { Mode } from '../../src/modes.js';
import { TRAITS } from '../helpers/traits.js';

const gateway = {
  name: 'gateway',
  deviations: [
    { refusedBy: 'application', protocols: ['https', 'h2'], reason: 'answers HTTP 400 after the handshake' },
    {
      modes: ['request_client_cert'],
      behaves: { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] },
      reason: 'verifies what is sent, forgiving only an untrusted issuer',
    },
  ] satisfies Deviation[],
};

const expectation = (mode: Mode, identity: string, protocol: 'tls' | 'https' = 'https') =>
  engineExpectation(gateway, { mode, protocol, tls: '1.3', traits: TRAITS[identity]! }, { checksCrl: true });

describe('engine deviations', () => {
  it.each([
    ['none', ['none']],
    ['valid', ['verifies']],
    ['expired', ['expired']],
    ['self-signed', ['untrusted-issuer', 'no-crl']],
    ['revoked', ['revoked']],
  ])('%s is the case %j', (identity, cases) => {
    expect(certificateCases(TRAITS[identity]!, { checksCrl: true })).toEqual(cases);
  });

  it.each([
    // mode, identity, protocol, verdict, refusedBy, deviation stated
    ['require_and_verify_client_cert', 'none', 'https', 'rejected', 'application', true],
    ['require_and_verify_client_cert', 'none', 'tls', 'rejected', 'tls', false],
    ['require_and_verify_client_cert', 'valid', 'https', 'accepted', undefined, false],
    ['request_client_cert', 'expired', 'https', 'rejected', 'application', true],
    ['request_client_cert', 'untrusted-ca', 'https', 'accepted', undefined, false],
    ['request_client_cert', 'none', 'https', 'accepted', undefined, false],
    ['no_client_certs', 'wrong-server-trust', 'https', 'rejected', 'client', false],
  ] as const)('%s × %s over %s: %s by %s', (mode, identity, protocol, verdict, by, stated) => {
    const expected = expectation(mode, identity, protocol);
    expect(expected.verdict).toBe(verdict);
    expect(expected.refusedBy).toBe(by);
    expect(expected.deviations !== undefined).toBe(stated);
  });

  it('fails a rejection by someone the engine does not state, and passes the stated one', () => {
    const tlsOnly = expectation('require_and_verify_client_cert', 'none', 'tls');
    const http400 = { verdict: 'rejected', how: 'HTTP 400', by: 'application' } as const;
    const alert = { verdict: 'rejected', how: 'alert', by: 'tls' } as const;
    expect(meetsCellExpectation(tlsOnly, http400)).toBe(false);
    expect(meetsCellExpectation(tlsOnly, alert)).toBe(true);
    expect(meetsCellExpectation(expectation('require_and_verify_client_cert', 'none'), http400)).toBe(true);
    expect(meetsCellExpectation(expectation('require_and_verify_client_cert', 'none'), alert)).toBe(false);
  });

  it('says the mode promised otherwise when a deviation changes the verdict', () => {
    expect(expectation('request_client_cert', 'expired').reason).toMatch(
      /^the mode promises accepted .*, but gateway verifies what is sent, forgiving only an untrusted issuer: .*expired/,
    );
  });
});
