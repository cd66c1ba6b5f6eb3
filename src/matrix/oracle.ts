/**
 * The oracle: a cell's expected verdict from the mode's promise and the identity's traits.
 * Pure and total: every (mode, traits) pair gets a verdict and a reason a person can check.
 */
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import type { Expectation, TrustAnchor } from './types.js';

export interface ServerChecks {
  /** The server checks revocation (CRLs). */
  checksCrl: boolean;
  /** The one CA the verifier trusts; default the root (the client CA). Routes choose their own. */
  trustAnchor?: TrustAnchor;
  /** Expired certificates pass (Runway's allow_expired). */
  allowExpired?: boolean;
}

/**
 * Whether the leaf builds a path to the anchor with what the client sends. A trusted
 * intermediate is an anchor of its own (Go's x509 pools, and verify-chain.ts, accept that).
 */
function chainsTo(traits: IdentityTraits, anchor: TrustAnchor): boolean {
  if (anchor === 'root') return traits.chainsToClientCa;
  return traits.issuer === anchor;
}

/** Why a verifying server refuses this certificate; empty when it verifies. */
export function verificationProblems(traits: IdentityTraits, checks: ServerChecks): string[] {
  const problems: string[] = [];
  const anchor = checks.trustAnchor ?? 'root';
  if (!chainsTo(traits, anchor)) {
    if (traits.issuer === 'self') problems.push(`self-signed, so it does not chain to the ${anchor} CA`);
    else if (anchor === 'root' && traits.issuer === 'intermediate' && !traits.sendsIntermediate)
      problems.push('the intermediate is not sent and the server trusts only the root');
    else if (anchor !== 'root') problems.push(`issued by a CA outside the pool (it trusts the ${anchor} CA)`);
    else problems.push('issued by a CA the server does not trust');
  }
  if (traits.validity === 'expired' && !checks.allowExpired) problems.push('expired');
  if (traits.validity === 'not-yet-valid') problems.push('not yet valid');
  if (!traits.clientAuthEku) problems.push('its extended key usage does not allow clientAuth');
  if (traits.revoked && checks.checksCrl) problems.push('revoked in the CRL');
  return problems;
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
  const problems = verificationProblems(traits, checks);
  if (problems.length > 0)
    return expect('rejected', `the certificate does not verify: ${problems.join('; ')}`);
  if (traits.revoked) return expect('accepted', 'revoked, but this server does not check CRLs');
  if (traits.validity === 'expired')
    return expect('accepted', 'expired, but allow_expired skips the expiry check');
  const anchor = checks.trustAnchor ?? 'root';
  return expect(
    'accepted',
    anchor === 'root'
      ? 'the certificate verifies against the client CA'
      : `the certificate verifies against the ${anchor} CA`,
  );
}
