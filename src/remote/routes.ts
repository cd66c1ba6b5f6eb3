/**
 * A per-route gateway as a target (Runway's client_mtls per route): each route's cells request
 * its path over HTTPS and HTTP/2 — the only protocols a gateway routes by path — and are judged
 * against that route's own policy and CA pool. Pure.
 */
import { serverName } from '../matrix/plan.js';
import type { RoutePolicySpec, TrustAnchor } from '../matrix/types.js';
import type { Behaviour } from '../modes.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import type { Discovery } from './discover.js';
import { notServedReason, type TargetCell } from './plan.js';

export interface TargetRoute {
  name: string;
  path: string;
  /** null: the route has no client_mtls, so whatever the listener lets through gets through. */
  policy: RoutePolicySpec | null;
}

/** Protocols a gateway routes by path. */
export const ROUTED_PROTOCOLS: readonly Protocol[] = ['https', 'h2'];

/** What a route promises: its policy, or for an open route, a listener that asks and lets all in. */
export function routeJudging(route: TargetRoute): { behaviour: Behaviour; anchor: TrustAnchor } {
  if (!route.policy) return { behaviour: { mode: 'request_client_cert', forgives: [] }, anchor: 'root' };
  return {
    behaviour: { mode: route.policy.mode, forgives: route.policy.forgives },
    anchor: route.policy.trust ?? 'root',
  };
}

export function planRouteCells(
  identities: readonly IdentityMaterial[],
  protocols: readonly Protocol[],
  versions: readonly TlsVersion[],
  discovery: Discovery,
  routes: readonly TargetRoute[],
): TargetCell[] {
  let index = 0;
  const routed = protocols.filter((protocol) => ROUTED_PROTOCOLS.includes(protocol));
  return routes.flatMap((route) =>
    identities.flatMap((identity) =>
      routed.flatMap((protocol) =>
        versions.map((tls): TargetCell => {
          const notServed = notServedReason(discovery, protocol, tls);
          return {
            identity,
            route,
            spec: {
              index: index++,
              server: serverName(`target/${route.name}`, tls),
              listener: serverName('target', tls),
              path: route.path,
              mode: routeJudging(route).behaviour.mode,
              identity: identity.name,
              protocol,
              tls,
              expected: { verdict: 'either', reason: 'not yet known', source: 'oracle' },
              ...(notServed ? { notServed } : {}),
            },
          };
        }),
      ),
    ),
  );
}
