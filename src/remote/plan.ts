/**
 * Planning cells against a target from what discovery found: identities × protocols × TLS
 * versions, each either to run or not served with the evidence. Pure.
 */
import { serverName } from '../matrix/plan.js';
import type { CellSpec } from '../matrix/types.js';
import type { Behaviour } from '../modes.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { type Discovery, protocolKey } from './discover.js';
import { verifiesAtStatedTrust } from './expect.js';
import type { TargetRoute } from './routes.js';

export interface TargetCell {
  identity: IdentityMaterial;
  spec: CellSpec;
  /** The gateway route the cell requests, for a per-route target. */
  route?: TargetRoute;
}

/** Identities the server most likely accepts, for discovery: valid (if trusted), none, self-signed. */
export function referenceIdentities(pki: PkiMaterial, pkiTrusted: boolean): IdentityMaterial[] {
  const names = pkiTrusted ? ['valid', 'none', 'self-signed'] : ['none', 'self-signed'];
  const standard = names.flatMap((name) => pki.identities.filter((identity) => identity.name === name));
  // A certificate that verifies against what the user says the target trusts (--client-ca)
  // is the likeliest of all to get an answer, which is what tells a served protocol.
  const stated = pki.identities.find(
    (identity) => !standard.includes(identity) && verifiesAtStatedTrust(identity.traits),
  );
  return stated ? [stated, ...standard] : standard;
}

/** Why cells of this protocol and version are not run, or undefined to run them. */
export function notServedReason(
  discovery: Discovery,
  protocol: Protocol,
  tls: TlsVersion,
): string | undefined {
  const version = discovery.versions.get(tls);
  if (version && version.status !== 'served')
    return version.status === 'no-answer'
      ? `the target did not answer in TLS ${tls}: ${version.evidence}`
      : `the target does not serve TLS ${tls}: ${version.evidence}`;
  const served = discovery.protocols.get(protocolKey(protocol, tls));
  if (served?.status === 'not-served')
    return `the target does not serve ${protocol} in TLS ${tls}: ${served.evidence}`;
  return undefined;
}

export function planTargetCells(
  identities: readonly IdentityMaterial[],
  protocols: readonly Protocol[],
  versions: readonly TlsVersion[],
  discovery: Discovery,
  behaviour: Behaviour,
): TargetCell[] {
  let index = 0;
  return identities.flatMap((identity) =>
    protocols.flatMap((protocol) =>
      versions.map((tls): TargetCell => {
        const notServed = notServedReason(discovery, protocol, tls);
        return {
          identity,
          spec: {
            index: index++,
            server: serverName('target', tls),
            mode: behaviour.mode,
            identity: identity.name,
            protocol,
            tls,
            // Set once the behaviour to judge against is known.
            expected: { verdict: 'either', reason: 'not yet known', source: 'oracle' },
            ...(notServed ? { notServed } : {}),
          },
        };
      }),
    ),
  );
}
