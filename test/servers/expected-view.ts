/**
 * What a server in a given mode should report for an identity, derived from the mode's
 * promise and the identity's traits only (the same reasoning as the product's oracle).
 */
import { MODE_PROMISES, type Mode } from '../../src/modes.js';
import { SPIFFE_PREFIX } from '../../src/pki/generate.js';
import type { IdentityMaterial } from '../../src/pki/types.js';
import type { Protocol, ServerView, TlsVersion } from '../../src/servers/types.js';

export function expectedView(
  mode: Mode,
  identity: IdentityMaterial,
  protocol: Protocol,
  tls: TlsVersion,
): Partial<ServerView> {
  const promise = MODE_PROMISES[mode];
  const presented = promise.requests && identity.traits.presents;
  const verifies = promise.verifies && presented;
  const verifyError = verifies ? identity.traits.verifyError : null;
  const accepted = !(promise.requires && !presented) && verifyError === null;
  // Only Node's native mode refuses inside the handshake, and only a missing certificate.
  const inHandshake = !accepted && mode === 'require_and_verify_client_cert' && !presented;
  const view: Partial<ServerView> = {
    mode,
    decision: accepted ? 'accepted' : 'rejected',
    stage: accepted ? null : inHandshake ? 'handshake' : 'after-handshake',
    presented,
    verified: verifies ? verifyError === null : null,
    verifyError,
    tlsVersion: inHandshake ? null : `TLSv${tls}`,
    protocol: accepted ? protocol : null,
  };
  if (presented) {
    view.subject = identity.info?.subject;
    view.fingerprint = identity.info?.sha256;
    view.uri = `${SPIFFE_PREFIX}${identity.name}`;
  }
  return view;
}

/** An expected view as clients receive it: the same facts under snake_case keys. */
export function asAnswered(view: Partial<ServerView>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(view).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
