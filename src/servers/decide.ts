/**
 * The server's verdict on a connection whose TLS handshake completed, per mode.
 *
 * How each mode is realised on Node 20 (see tls-options.ts for the options):
 * - no_client_certs: no CertificateRequest; every handshake is accepted.
 * - request_client_cert: CertificateRequest naming the client CA; anything (or nothing) is
 *   accepted and nothing is judged (verified: null).
 * - require_any_client_cert: as above, then a connection without a certificate is destroyed
 *   right after the handshake. Node cannot require a certificate without also verifying it,
 *   so unlike Go (alert inside the handshake) the refusal is a close after the handshake.
 * - verify_client_cert_if_given: CertificateRequest, no certificate is fine; a presented one
 *   that Node could not verify (authorizationError) gets the connection destroyed after the
 *   handshake. Go and nginx refuse it with an alert inside the handshake instead.
 * - require_and_verify_client_cert: Node's native requestCert + rejectUnauthorized: a missing
 *   certificate fails inside the handshake (OpenSSL sends handshake_failure under TLS 1.2,
 *   certificate_required under TLS 1.3); an unverifiable one completes the handshake and is
 *   destroyed by Node's own 'secure' handler, with no alert.
 *
 * Node's `authorizationError` for a connection without a certificate is
 * UNABLE_TO_GET_ISSUER_CERT (it has nothing to verify); the view reports verified: null and
 * no verifyError then, because nothing was verified.
 */
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { ServerView } from './types.js';

export interface HandshakeFacts {
  presented: boolean;
  /** Node's authorizationError for the presented certificate, null when it verified. */
  authorizationError: string | null;
}

export type Verdict = Pick<ServerView, 'decision' | 'stage' | 'reason' | 'verified' | 'verifyError'>;

/** verified / verifyError as the view reports them: only when the mode verifies and a cert came. */
export function verification(mode: Mode, facts: HandshakeFacts): Pick<Verdict, 'verified' | 'verifyError'> {
  if (!MODE_PROMISES[mode].verifies || !facts.presented) return { verified: null, verifyError: null };
  return { verified: facts.authorizationError === null, verifyError: facts.authorizationError };
}

export function decideAfterHandshake(mode: Mode, facts: HandshakeFacts): Verdict {
  const promise = MODE_PROMISES[mode];
  const checked = verification(mode, facts);
  const reject = (reason: string): Verdict => ({
    decision: 'rejected',
    stage: 'after-handshake',
    reason,
    ...checked,
  });
  if (promise.requires && !facts.presented) return reject('no client certificate presented');
  if (checked.verified === false) return reject(`client certificate did not verify: ${checked.verifyError}`);
  const reason = !promise.requests
    ? 'no client certificate requested'
    : !facts.presented
      ? 'no client certificate presented; the mode allows that'
      : checked.verified
        ? 'client certificate verified against the client CA'
        : 'client certificate presented; the mode does not verify it';
  return { decision: 'accepted', stage: null, reason, ...checked };
}
