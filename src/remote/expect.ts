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

/** One way the target may be configured; null where the identity does not depend on it. */
interface Assumption {
  checksCrl: boolean;
  trustsIntermediate: boolean;
  /** An inspected certificate nobody said the target trusts (no --client-ca): does it? */
  trusted: boolean | null;
  /** An inspected certificate with no CRL of its issuer at hand: is it revoked? */
  revoked: boolean | null;
}

const both = (known: boolean | undefined): boolean[] => (known === undefined ? [true, false] : [known]);
const open = (unknown: boolean | undefined): (boolean | null)[] => (unknown ? [true, false] : [null]);

/** An inspected certificate under the assumptions about what its inspection could not know. */
function inspectedUnder(traits: IdentityTraits, assume: Assumption): IdentityTraits {
  let seen = traits;
  if (assume.trusted === true && !seen.chainsToClientCa)
    seen = { ...seen, issuer: seen.issuer === 'self' ? 'self' : 'root', chainsToClientCa: true };
  // Only a certificate that chains can be found in a CRL: a server has none from an issuer it does not know.
  if (assume.revoked !== null) seen = { ...seen, revoked: seen.chainsToClientCa && assume.revoked };
  // What the target checks against is its own: that it lacks a CRL is not ours to say.
  return seen.inspected
    ? { ...seen, inspected: { ...seen.inspected, untrustedWhy: null, crlMissing: false } }
    : seen;
}

/** The identity as this target sees it under one assumption about its configuration. */
function traitsUnder(traits: IdentityTraits, pkiTrusted: boolean, assume: Assumption): IdentityTraits {
  if (traits.inspected) return inspectedUnder(traits, assume);
  if (!traits.presents || traits.issuer === 'self' || traits.issuer === 'unrelated') return traits;
  // A fresh PKI's CAs are unknown to the target: every leaf is from an untrusted CA there.
  if (!pkiTrusted) return { ...traits, issuer: 'unrelated', chainsToClientCa: false };
  if (traits.issuer === 'intermediate' && !traits.sendsIntermediate && assume.trustsIntermediate)
    return { ...traits, chainsToClientCa: true };
  return traits;
}

/** An inspected certificate that a verifying server with the trust the user stated accepts (CRLs aside). */
export function verifiesAtStatedTrust(traits: IdentityTraits): boolean {
  if (!traits.inspected?.trust || !traits.trustsServer) return false;
  return expectCell('require_and_verify_client_cert', traits, { checksCrl: false }).verdict === 'accepted';
}

export function targetExpectation(
  behaviour: Behaviour,
  traits: IdentityTraits,
  known: TargetKnowledge,
): Expectation {
  const { mode, forgives } = behaviour;
  const outcomes: { assume: Assumption; expectation: Expectation }[] = [];
  const inspected = traits.inspected;
  for (const checksCrl of both(known.checksCrl)) {
    for (const trustsIntermediate of both(known.trustsIntermediate)) {
      for (const trusted of open(inspected && inspected.trust === null)) {
        // Whether it is revoked matters only to a target that checks CRLs.
        const revocationOpen =
          checksCrl &&
          inspected &&
          !inspected.revocationKnown &&
          (inspected.trust === null || traits.chainsToClientCa);
        for (const revoked of open(revocationOpen)) {
          const assume = { checksCrl, trustsIntermediate, trusted, revoked };
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
    }
  }
  const first = outcomes[0]!.expectation;
  const verdicts = new Set(outcomes.map((outcome) => outcome.expectation.verdict));
  if (verdicts.size === 1) {
    const fresh =
      !inspected &&
      !known.pkiTrusted &&
      traits.presents &&
      traits.issuer !== 'self' &&
      traits.issuer !== 'unrelated';
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
          // null (not varied for this identity) matches any value of another assumption.
          (Object.keys(a.assume) as (keyof Assumption)[]).every(
            (k) => k === key || a.assume[k] === b.assume[k] || a.assume[k] === null || b.assume[k] === null,
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
  if (differsBy('trusted'))
    unknowns.push(
      "whether the target trusts this certificate's issuer (state what it trusts with --client-ca)",
    );
  if (differsBy('revoked'))
    unknowns.push(
      'whether this certificate is revoked: no CRL from its issuer is at hand (give one with --client-crl)',
    );
  if (unknowns.length === 0) unknowns.push('how the target is configured');
  return {
    verdict: 'either',
    reason: `depends on ${unknowns.join(' and ')}, which cannot be seen from outside`,
    source: 'oracle',
  };
}
