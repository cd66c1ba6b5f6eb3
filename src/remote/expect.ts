/**
 * Expectations for a server we cannot see into. The oracle's verdict for a mode, except where
 * it hangs on something only the target's configuration knows: whether it checks CRLs (the
 * revoked identity) and whether it also trusts the intermediate CA (chain-no-intermediate).
 * Unless the user stated those, such a cell expects 'either' and says why. Pure.
 */

import { expectCell } from '../matrix/oracle.js';
import type { Expectation, TrustAnchor } from '../matrix/types.js';
import type { Behaviour } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';

export interface TargetKnowledge {
  /** The target checks CRLs; undefined = unknown. */
  checksCrl?: boolean;
  /**
   * The target also trusts the intermediate CA, so a leaf sent without it still verifies
   * (true), or trusts the root only (false); undefined = unknown.
   */
  trustsIntermediate?: boolean;
  /** The target trusts the PKI's client CA (false for a freshly generated PKI). */
  pkiTrusted: boolean;
  /** The one CA of the PKI the target (or a route of it) verifies against; default the root. */
  trustAnchor?: TrustAnchor;
}

interface Assumption {
  checksCrl: boolean;
  trustsIntermediate: boolean;
}

const both = (known: boolean | undefined): boolean[] => (known === undefined ? [true, false] : [known]);

/** The identity as this target sees it under one assumption about its configuration. */
function traitsUnder(traits: IdentityTraits, pkiTrusted: boolean, assume: Assumption): IdentityTraits {
  if (!traits.presents || traits.issuer === 'self' || traits.issuer === 'unrelated') return traits;
  // A fresh PKI's CAs are unknown to the target: every leaf is from an untrusted CA there.
  if (!pkiTrusted) return { ...traits, issuer: 'unrelated', chainsToClientCa: false };
  if (traits.issuer === 'intermediate' && !traits.sendsIntermediate && assume.trustsIntermediate)
    return { ...traits, chainsToClientCa: true };
  return traits;
}

export function targetExpectation(
  behaviour: Behaviour,
  traits: IdentityTraits,
  known: TargetKnowledge,
): Expectation {
  const { mode, forgives } = behaviour;
  const outcomes: { assume: Assumption; expectation: Expectation }[] = [];
  for (const checksCrl of both(known.checksCrl)) {
    for (const trustsIntermediate of both(known.trustsIntermediate)) {
      const assume = { checksCrl, trustsIntermediate };
      const seen = traitsUnder(traits, known.pkiTrusted, assume);
      outcomes.push({
        assume,
        expectation: expectCell(mode, seen, {
          checksCrl,
          forgives,
          trustAnchor: known.trustAnchor ?? 'root',
        }),
      });
    }
  }
  const first = outcomes[0]!.expectation;
  const verdicts = new Set(outcomes.map((outcome) => outcome.expectation.verdict));
  if (verdicts.size === 1) {
    const fresh =
      !known.pkiTrusted && traits.presents && traits.issuer !== 'self' && traits.issuer !== 'unrelated';
    const changed =
      fresh &&
      expectCell(mode, traits, { checksCrl: true, forgives, trustAnchor: known.trustAnchor ?? 'root' })
        .verdict !== first.verdict;
    return changed
      ? {
          ...first,
          reason: `${first.reason} (the PKI was generated for this run, so the target cannot trust its CA)`,
        }
      : first;
  }
  const unknowns: string[] = [];
  const differsBy = (key: keyof Assumption) =>
    outcomes.some((a) =>
      outcomes.some(
        (b) =>
          a.assume[key] !== b.assume[key] &&
          (Object.keys(a.assume) as (keyof Assumption)[]).every(
            (k) => k === key || a.assume[k] === b.assume[k],
          ) &&
          a.expectation.verdict !== b.expectation.verdict,
      ),
    );
  if (differsBy('checksCrl'))
    unknowns.push('whether the target checks CRLs (state it with --target-checks-crl or --target-no-crl)');
  if (differsBy('trustsIntermediate'))
    unknowns.push(
      'whether the target also trusts the intermediate CA (state it with --target-trusts-intermediate or --target-trusts-root-only)',
    );
  return {
    verdict: 'either',
    reason: `depends on ${unknowns.join(' and ')}, which cannot be seen from outside`,
    source: 'oracle',
  };
}
