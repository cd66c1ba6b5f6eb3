/** Which mode do observations fit, and what a target is expected to do: pure functions. */
import { describe, expect, it } from 'vitest';
import { expectCell } from '../../src/matrix/oracle.js';
import { MODES, type Mode } from '../../src/modes.js';
import { targetExpectation } from '../../src/remote/expect.js';
import {
  bestFits,
  certificateRequestRow,
  classOfMode,
  describeFit,
  fitModes,
  sharedClass,
  targetFitRows,
} from '../../src/remote/infer.js';
import { TRAITS } from '../helpers/traits.js';

const KNOWN = { checksCrl: true, trustsIntermediate: false, pkiTrusted: true };
const UNKNOWN = { pkiTrusted: true };

/** What a server in `mode` would do with every standard identity, as the oracle says. */
function observationsOf(mode: Mode) {
  return Object.entries(TRAITS).map(([name, traits]) => ({
    label: `${name} over tls, TLS 1.3`,
    traits,
    verdict: expectCell(mode, traits, { checksCrl: true }).verdict as 'accepted' | 'rejected',
  }));
}

describe('fitModes', () => {
  it.each(MODES.filter((m) => m !== 'no_client_certs' && m !== 'request_client_cert'))(
    'names %s from its verdicts alone',
    (mode) => {
      const rows = targetFitRows(observationsOf(mode), UNKNOWN);
      const fits = fitModes(rows);
      expect(bestFits(fits).map((fit) => fit.mode)).toEqual([mode]);
      expect(describeFit(rows, fits)).toBe(`The observations fit ${mode}: all ${rows.length} cells.`);
    },
  );

  it('needs the CertificateRequest to tell no_client_certs from request_client_cert', () => {
    const rows = targetFitRows(observationsOf('request_client_cert'), UNKNOWN);
    const tied = bestFits(fitModes(rows)).map((fit) => fit.mode);
    expect(tied).toEqual(['no_client_certs', 'request_client_cert']);
    expect(describeFit(rows, fitModes(rows))).toMatch(/fit no_client_certs and request_client_cert equally/);
    expect(sharedClass(tied)).toBeNull();
    for (const [sent, mode] of [
      [true, 'request_client_cert'],
      [false, 'no_client_certs'],
    ] as const) {
      const withRequest = [...rows, certificateRequestRow(sent)];
      expect(bestFits(fitModes(withRequest)).map((fit) => fit.mode)).toEqual([mode]);
    }
  });

  it('names the closest mode and the cells that differ when none fits', () => {
    const observed = observationsOf('require_and_verify_client_cert');
    const expired = observed.find((o) => o.label.startsWith('expired'))!;
    expired.verdict = 'accepted';
    const rows = targetFitRows(observed, UNKNOWN);
    const fits = fitModes(rows);
    expect(fits[0]).toMatchObject({
      mode: 'require_and_verify_client_cert',
      differences: [{ label: expired.label }],
    });
    expect(describeFit(rows, fits)).toBe(
      'No mode fits every cell; closest: require_and_verify_client_cert, 1 cell differs: ' +
        'expired over tls, TLS 1.3 (expected rejected, observed accepted).',
    );
  });

  it("lets 'either' fit whatever was observed, and counts only decided rows", () => {
    const rows = targetFitRows([{ label: 'revoked', traits: TRAITS.revoked!, verdict: 'accepted' }], UNKNOWN);
    const fits = fitModes(rows);
    expect(fits.every((fit) => fit.differences.length === 0)).toBe(true);
    expect(fits.find((fit) => fit.mode === 'require_and_verify_client_cert')?.decided).toBe(0);
    expect(fits.find((fit) => fit.mode === 'require_any_client_cert')?.decided).toBe(1);
  });

  it('classes the modes', () => {
    expect(MODES.map(classOfMode)).toEqual(['not-requested', 'optional', 'required', 'optional', 'required']);
    expect(sharedClass(['request_client_cert', 'verify_client_cert_if_given'])).toBe('optional');
  });
});

describe('targetExpectation', () => {
  it("expects 'either' for revoked when CRL checking is unknown, and decides when it is stated", () => {
    const mode = 'require_and_verify_client_cert';
    expect(targetExpectation(mode, TRAITS.revoked!, UNKNOWN)).toMatchObject({
      verdict: 'either',
      reason: expect.stringMatching(/whether the target checks CRLs.*--target-checks-crl/),
    });
    expect(targetExpectation(mode, TRAITS.revoked!, { ...UNKNOWN, checksCrl: true }).verdict).toBe(
      'rejected',
    );
    expect(targetExpectation(mode, TRAITS.revoked!, { ...UNKNOWN, checksCrl: false }).verdict).toBe(
      'accepted',
    );
    // A mode that verifies nothing accepts it either way.
    expect(targetExpectation('require_any_client_cert', TRAITS.revoked!, UNKNOWN).verdict).toBe('accepted');
  });

  it("expects 'either' for a leaf sent without its intermediate unless the target's trust is stated", () => {
    const traits = TRAITS['chain-no-intermediate']!;
    expect(targetExpectation('verify_client_cert_if_given', traits, UNKNOWN)).toMatchObject({
      verdict: 'either',
      reason: expect.stringMatching(/also trusts the intermediate CA.*--target-trusts-intermediate/),
    });
    expect(targetExpectation('verify_client_cert_if_given', traits, KNOWN).verdict).toBe('rejected');
    expect(
      targetExpectation('verify_client_cert_if_given', traits, { ...KNOWN, trustsIntermediate: true })
        .verdict,
    ).toBe('accepted');
  });

  it('expects every certificate of a fresh PKI to be refused by a verifying target, and says why', () => {
    const fresh = { ...KNOWN, pkiTrusted: false };
    expect(targetExpectation('require_and_verify_client_cert', TRAITS.valid!, fresh)).toMatchObject({
      verdict: 'rejected',
      reason: expect.stringMatching(/generated for this run, so the target cannot trust its CA/),
    });
    // Revoked in a fresh PKI: refused whether or not the target checks CRLs.
    expect(
      targetExpectation('require_and_verify_client_cert', TRAITS.revoked!, { pkiTrusted: false }).verdict,
    ).toBe('rejected');
    expect(targetExpectation('require_any_client_cert', TRAITS.valid!, fresh).verdict).toBe('accepted');
  });

  it('agrees with the oracle where nothing is unknown', () => {
    for (const mode of MODES) {
      for (const traits of Object.values(TRAITS)) {
        expect(targetExpectation(mode, traits, KNOWN)).toEqual(expectCell(mode, traits, { checksCrl: true }));
      }
    }
  });
});
