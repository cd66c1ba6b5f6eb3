/** Which behaviour do observations fit, and what a target is expected to do: pure functions. */
import { describe, expect, it } from 'vitest';
import { expectCell } from '../../src/matrix/oracle.js';
import {
  type Behaviour,
  describeBehaviour,
  FORGIVABLE,
  MODE_PROMISES,
  MODES,
  type Mode,
} from '../../src/modes.js';
import { targetExpectation } from '../../src/remote/expect.js';
import {
  type BehaviourFit,
  bestFits,
  CANDIDATES,
  certificateRequestRow,
  classOfMode,
  describeFit,
  fitBehaviours,
  fitOf,
  sharedClass,
  targetFitRows,
} from '../../src/remote/infer.js';
import { TRAITS } from '../helpers/traits.js';

const KNOWN = { checksCrl: true, trustsIntermediate: false, pkiTrusted: true };
const UNKNOWN = { pkiTrusted: true };

/** A behaviour that forgives nothing: the mode as its promise says. */
const strict = (mode: Mode): Behaviour => ({ mode, forgives: [] });
const names = (fits: readonly BehaviourFit[]) => fits.map((fit) => describeBehaviour(fit.behaviour));

/** What a server with `behaviour` would do with every standard identity, as the oracle says. */
function observationsOf(behaviour: Behaviour) {
  return Object.entries(TRAITS).map(([name, traits]) => ({
    label: `${name} over tls, TLS 1.3`,
    traits,
    verdict: expectCell(behaviour.mode, traits, { checksCrl: true, forgives: behaviour.forgives }).verdict as
      'accepted' | 'rejected',
  }));
}

describe('CANDIDATES', () => {
  it('holds every mode, and every verifying mode with each proper subset of the forgivable failures', () => {
    const verifying = MODES.filter((mode) => MODE_PROMISES[mode].verifies);
    expect(CANDIDATES).toHaveLength(
      MODES.length - verifying.length + verifying.length * (2 ** FORGIVABLE.length - 1),
    );
    expect(CANDIDATES.slice(0, 2)).toEqual([strict('no_client_certs'), strict('request_client_cert')]);
    for (const behaviour of CANDIDATES) {
      if (!MODE_PROMISES[behaviour.mode].verifies) expect(behaviour.forgives).toEqual([]);
      // Forgiving every failure would be verifying nothing.
      expect(behaviour.forgives.length).toBeLessThan(FORGIVABLE.length);
    }
    expect(new Set(CANDIDATES.map(describeBehaviour)).size).toBe(CANDIDATES.length);
  });
});

describe('fitBehaviours', () => {
  it.each(MODES.filter((m) => m !== 'no_client_certs' && m !== 'request_client_cert'))(
    'names %s from its verdicts alone',
    (mode) => {
      const rows = targetFitRows(observationsOf(strict(mode)), UNKNOWN);
      const fits = fitBehaviours(rows);
      expect(bestFits(fits).map((fit) => fit.behaviour)).toEqual([strict(mode)]);
      expect(describeFit(rows, fits)).toBe(`The observations fit ${mode}: all ${rows.length} cells.`);
    },
  );

  it('names what a verifying server forgives (nginx optional_no_ca: untrusted-issuer)', () => {
    const optionalNoCa: Behaviour = { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] };
    const rows = targetFitRows(observationsOf(optionalNoCa), UNKNOWN);
    const fits = fitBehaviours(rows);
    expect(bestFits(fits).map((fit) => fit.behaviour)).toEqual([optionalNoCa]);
    expect(describeFit(rows, fits)).toBe(
      `The observations fit verify_client_cert_if_given forgiving untrusted-issuer: all ${rows.length} cells.`,
    );
    // The strict mode is close, and differs exactly where an untrusted issuer was let through
    // (self-signed is 'either': refused when the server checks CRLs, since none vouches for it).
    expect(fitOf(fits, strict('verify_client_cert_if_given'))?.differences.map((d) => d.label)).toEqual([
      'untrusted-ca over tls, TLS 1.3',
    ]);
  });

  it('needs the CertificateRequest to tell no_client_certs from request_client_cert', () => {
    const rows = targetFitRows(observationsOf(strict('request_client_cert')), UNKNOWN);
    const best = bestFits(fitBehaviours(rows));
    expect(names(best)).toEqual(['no_client_certs', 'request_client_cert']);
    expect(describeFit(rows, fitBehaviours(rows))).toMatch(
      /fit no_client_certs; request_client_cert equally .*cannot tell them apart/,
    );
    expect(sharedClass(best.map((fit) => fit.behaviour.mode))).toBeNull();
    for (const [sent, mode] of [
      [true, 'request_client_cert'],
      [false, 'no_client_certs'],
    ] as const) {
      const withRequest = [...rows, certificateRequestRow(sent)];
      expect(names(bestFits(fitBehaviours(withRequest)))).toEqual([mode]);
    }
  });

  it('names the closest behaviour and the cells that differ when none fits', () => {
    const observed = observationsOf(strict('require_and_verify_client_cert'));
    const expired = observed.find((o) => o.label.startsWith('expired'))!;
    expired.verdict = 'accepted';
    // Accepting an expired certificate is a forgiveness (Runway allow_expired), not a misfit...
    expect(names(bestFits(fitBehaviours(targetFitRows(observed, UNKNOWN))))).toEqual([
      'require_and_verify_client_cert forgiving expired',
    ]);
    // ...but refusing the valid certificate fits no behaviour.
    const valid = observed.find((o) => o.label.startsWith('valid'))!;
    valid.verdict = 'rejected';
    const rows = targetFitRows(observed, UNKNOWN);
    const fits = fitBehaviours(rows);
    expect(fits[0]).toMatchObject({
      behaviour: { mode: 'require_and_verify_client_cert', forgives: ['expired'] },
      differences: [{ label: valid.label }],
    });
    expect(describeFit(rows, fits)).toBe(
      'No behaviour fits every cell; closest: require_and_verify_client_cert forgiving expired, 1 cell differs: ' +
        'valid over tls, TLS 1.3 (expected accepted, observed rejected).',
    );
  });

  it("lets 'either' fit whatever was observed, and counts only decided rows", () => {
    const rows = targetFitRows([{ label: 'revoked', traits: TRAITS.revoked!, verdict: 'accepted' }], UNKNOWN);
    const fits = fitBehaviours(rows);
    expect(fits.every((fit) => fit.differences.length === 0)).toBe(true);
    expect(fitOf(fits, strict('require_and_verify_client_cert'))?.decided).toBe(0);
    expect(fitOf(fits, strict('require_any_client_cert'))?.decided).toBe(1);
  });

  it('says when there is nothing to fit', () => {
    expect(describeFit([], fitBehaviours([]))).toBe(
      'There is nothing to fit: no observation was conclusive.',
    );
  });

  it('classes the modes', () => {
    expect(MODES.map(classOfMode)).toEqual(['not-requested', 'optional', 'required', 'optional', 'required']);
    expect(sharedClass(['request_client_cert', 'verify_client_cert_if_given'])).toBe('optional');
  });
});

describe('targetExpectation', () => {
  it("expects 'either' for revoked when CRL checking is unknown, and decides when it is stated", () => {
    const mode = strict('require_and_verify_client_cert');
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
    expect(targetExpectation(strict('require_any_client_cert'), TRAITS.revoked!, UNKNOWN).verdict).toBe(
      'accepted',
    );
  });

  it("expects 'either' for a leaf sent without its intermediate unless the target's trust is stated", () => {
    const traits = TRAITS['chain-no-intermediate']!;
    expect(targetExpectation(strict('verify_client_cert_if_given'), traits, UNKNOWN)).toMatchObject({
      verdict: 'either',
      reason: expect.stringMatching(/also trusts the intermediate CA.*--target-trusts-intermediate/),
    });
    expect(targetExpectation(strict('verify_client_cert_if_given'), traits, KNOWN).verdict).toBe('rejected');
    expect(
      targetExpectation(strict('verify_client_cert_if_given'), traits, { ...KNOWN, trustsIntermediate: true })
        .verdict,
    ).toBe('accepted');
  });

  it('expects every certificate of a fresh PKI to be refused by a verifying target, and says why', () => {
    const fresh = { ...KNOWN, pkiTrusted: false };
    expect(targetExpectation(strict('require_and_verify_client_cert'), TRAITS.valid!, fresh)).toMatchObject({
      verdict: 'rejected',
      reason: expect.stringMatching(/generated for this run, so the target cannot trust its CA/),
    });
    // Revoked in a fresh PKI: refused whether or not the target checks CRLs.
    expect(
      targetExpectation(strict('require_and_verify_client_cert'), TRAITS.revoked!, { pkiTrusted: false })
        .verdict,
    ).toBe('rejected');
    expect(targetExpectation(strict('require_any_client_cert'), TRAITS.valid!, fresh).verdict).toBe(
      'accepted',
    );
  });

  it('expects what a forgiving behaviour lets through to be accepted, and nothing more', () => {
    const optionalNoCa: Behaviour = { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] };
    expect(targetExpectation(optionalNoCa, TRAITS['untrusted-ca']!, KNOWN).verdict).toBe('accepted');
    // Self-signed: forgiven, unless the server checks CRLs (nginx ssl_crl: no CRL vouches for it).
    const noCrl = { ...KNOWN, checksCrl: false };
    expect(targetExpectation(optionalNoCa, TRAITS['self-signed']!, noCrl).verdict).toBe('accepted');
    expect(targetExpectation(optionalNoCa, TRAITS['self-signed']!, KNOWN).verdict).toBe('rejected');
    expect(targetExpectation(optionalNoCa, TRAITS.expired!, KNOWN).verdict).toBe('rejected');
    expect(targetExpectation(optionalNoCa, TRAITS['wrong-eku']!, KNOWN).verdict).toBe('rejected');
    // A fresh PKI is an untrusted issuer there: its valid certificate passes such a target.
    expect(targetExpectation(optionalNoCa, TRAITS.valid!, { ...KNOWN, pkiTrusted: false }).verdict).toBe(
      'accepted',
    );
  });

  it('agrees with the oracle where nothing is unknown', () => {
    for (const behaviour of CANDIDATES) {
      for (const traits of Object.values(TRAITS)) {
        expect(targetExpectation(behaviour, traits, KNOWN)).toEqual(
          expectCell(behaviour.mode, traits, { checksCrl: true, forgives: behaviour.forgives }),
        );
      }
    }
  });
});
