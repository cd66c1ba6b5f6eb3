/**
 * The oracle: a cell's expected verdict from the server's behaviour (its mode, plus the
 * verification failures it forgives) and the identity's traits. Pure and total: every
 * (mode, traits, checks) gets a verdict and a reason a person can check.
 */
import { type Forgivable, FORGIVABLE, MODE_PROMISES, type Mode } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import type { Expectation, TrustAnchor } from './types.js';

export interface ServerChecks {
  /** The server checks revocation (CRLs). */
  checksCrl: boolean;
  /** The one CA the verifier trusts; default the root (the client CA). Routes choose their own. */
  trustAnchor?: TrustAnchor;
  /**
   * Verification failures the server lets through: nginx optional_no_ca forgives
   * untrusted-issuer, Runway's allow_expired forgives expired. Default none.
   */
  forgives?: readonly Forgivable[];
}

/**
 * Why a certificate fails verification. Beyond the forgivable kinds: 'revoked' (listed in a
 * CRL the server checks) and 'no-crl' (the server checks CRLs and none can vouch for the
 * certificate). Neither is forgivable: revocation is whether the server checks CRLs at all.
 */
export type FailureKind = Forgivable | 'revoked' | 'no-crl';

export const FAILURE_KINDS: readonly FailureKind[] = [...FORGIVABLE, 'revoked', 'no-crl'];

interface Failure {
  kind: FailureKind;
  /** In words, as the reason of a rejection lists it. */
  problem: string;
}

/** How an accepted reason words a forgiven failure, naming a real setting that forgives it. */
const FORGIVEN: Record<Forgivable, string> = {
  'untrusted-issuer': 'the server forgives an untrusted issuer (nginx optional_no_ca)',
  expired: 'the server forgives expired certificates (allow_expired)',
  'not-yet-valid': 'the server forgives certificates that are not yet valid',
  'wrong-eku': 'the server forgives an extended key usage without clientAuth',
};

/**
 * Whether the leaf builds a path to the anchor with what the client sends. A trusted
 * intermediate is an anchor of its own (Go's x509 pools, and verify-chain.ts, accept that).
 */
function chainsTo(traits: IdentityTraits, anchor: TrustAnchor): boolean {
  if (anchor === 'root') return traits.chainsToClientCa;
  return traits.issuer === anchor;
}

function untrustedIssuer(traits: IdentityTraits, anchor: TrustAnchor): string {
  if (traits.inspected?.untrustedWhy) return traits.inspected.untrustedWhy;
  if (traits.issuer === 'self') return `self-signed, so it does not chain to the ${anchor} CA`;
  if (anchor === 'root' && traits.issuer === 'intermediate' && !traits.sendsIntermediate)
    return 'the intermediate is not sent and the server trusts only the root';
  if (anchor !== 'root') return `issued by a CA outside the pool (it trusts the ${anchor} CA)`;
  return 'issued by a CA the server does not trust';
}

/** Every failure, forgiven or not, in a fixed order; none without a certificate. */
function failures(traits: IdentityTraits, checks: Omit<ServerChecks, 'forgives'>): Failure[] {
  if (!traits.presents) return [];
  const anchor = checks.trustAnchor ?? 'root';
  const found: Failure[] = [];
  if (!chainsTo(traits, anchor))
    found.push({ kind: 'untrusted-issuer', problem: untrustedIssuer(traits, anchor) });
  if (traits.validity === 'expired') found.push({ kind: 'expired', problem: 'expired' });
  if (traits.validity === 'not-yet-valid') found.push({ kind: 'not-yet-valid', problem: 'not yet valid' });
  if (!traits.clientAuthEku)
    found.push({ kind: 'wrong-eku', problem: 'its extended key usage does not allow clientAuth' });
  if (traits.revoked && checks.checksCrl) found.push({ kind: 'revoked', problem: 'revoked in the CRL' });
  // OpenSSL looks for a CRL from the leaf's issuer; a self-signed leaf has none. For a leaf
  // from an absent issuer the final error is "unable to verify the first certificate", an
  // untrusted issuer again, so only the self-signed one is refused for it. Measured: nginx
  // optional_no_ca with ssl_crl answers 400 "unable to get certificate CRL" to a self-signed
  // certificate, 200 to one from an unknown CA (Node reports the same errors: identities.ts).
  if (traits.issuer === 'self' && checks.checksCrl)
    found.push({ kind: 'no-crl', problem: 'no CRL can vouch for a self-signed certificate' });
  // An inspected certificate that does chain: OpenSSL wants a CRL from every issuer on the path.
  else if (checks.checksCrl && traits.inspected?.crlMissing && chainsTo(traits, anchor))
    found.push({ kind: 'no-crl', problem: 'the server checks CRLs and has none from an issuer on its path' });
  return found;
}

/** Which kinds of failure this certificate meets at a server with these checks. */
export function failureKinds(traits: IdentityTraits, checks: Omit<ServerChecks, 'forgives'>): FailureKind[] {
  return failures(traits, checks).map((failure) => failure.kind);
}

function isForgiven(checks: ServerChecks): (failure: Failure) => failure is Failure & { kind: Forgivable } {
  const forgives: readonly FailureKind[] = checks.forgives ?? [];
  return (failure): failure is Failure & { kind: Forgivable } => forgives.includes(failure.kind);
}

/** Why a verifying server refuses this certificate, forgiven failures left out; empty when it passes. */
export function verificationProblems(traits: IdentityTraits, checks: ServerChecks): string[] {
  const forgiven = isForgiven(checks);
  return failures(traits, checks)
    .filter((failure) => !forgiven(failure))
    .map((failure) => failure.problem);
}

export function expectCell(mode: Mode, traits: IdentityTraits, checks: ServerChecks): Expectation {
  const promise = MODE_PROMISES[mode];
  const expect = (verdict: Expectation['verdict'], reason: string): Expectation => ({
    verdict,
    reason,
    source: 'oracle',
  });
  // A control row: the client itself refuses the server, whatever the server would do.
  if (!traits.trustsServer) return expect('rejected', "the client does not trust the server's CA");
  if (!promise.requests) return expect('accepted', 'the server does not ask for a client certificate');
  if (!traits.presents) {
    return promise.requires
      ? expect('rejected', 'a client certificate is required and none is sent')
      : expect('accepted', 'a client certificate is optional and none is sent');
  }
  if (!promise.verifies) return expect('accepted', 'any certificate is accepted; none is verified');
  const all = failures(traits, checks);
  const forgives = isForgiven(checks);
  const forgiven = all.filter(forgives);
  const problems = all.filter((failure) => !forgives(failure)).map((failure) => failure.problem);
  if (problems.length > 0) {
    const kinds = forgiven.map((failure) => failure.kind);
    const but = kinds.length > 0 ? ` (the server forgives ${kinds.join(', ')}, not that)` : '';
    return expect('rejected', `the certificate does not verify: ${problems.join('; ')}${but}`);
  }
  const excused = forgiven.map((failure) => `${failure.problem}, but ${FORGIVEN[failure.kind]}`);
  if (traits.revoked) excused.push('revoked, but this server does not check CRLs');
  if (excused.length > 0) return expect('accepted', excused.join('; '));
  const anchor = checks.trustAnchor ?? 'root';
  if (traits.inspected?.trust)
    return expect('accepted', `the certificate verifies against ${traits.inspected.trust}`);
  return expect(
    'accepted',
    anchor === 'root'
      ? 'the certificate verifies against the client CA'
      : `the certificate verifies against the ${anchor} CA`,
  );
}
