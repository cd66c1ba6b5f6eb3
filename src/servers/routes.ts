/**
 * Per-route client mTLS, as Runway does it: the listener only *requests* a certificate
 * (request_client_cert, so TLS itself never refuses one), and the route whose path prefix
 * matches a request decides at the application layer, verifying the presented chain against
 * its own CA pool. TLS negotiates once per connection, before any path is known, which is
 * why the decision cannot live in the handshake (and HTTP/2 has no renegotiation to ask later).
 *
 * Runway's modes map onto the canonical ones: verify -> require_and_verify_client_cert,
 * require -> require_any_client_cert, request -> request_client_cert; any other mode name
 * works too, and a forgiving alias brings what it forgives (optional_no_ca: an untrusted
 * issuer). Runway's allow_expired is `forgives: ['expired']`.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { peerChain } from './peer.js';
import { type Forgivable, MODE_PROMISES, type Mode, resolveBehaviour, sortForgives } from '../modes.js';
import { verifyChain } from '../pki/verify-chain.js';
import { splitPem } from './tls-options.js';
import type { ServerView } from './types.js';

export interface RoutePolicy {
  /** verify | require | request, or any mode name resolveBehaviour knows. */
  mode: Mode | string;
  /** PEM of the route's CA pool (one or more certificates); needed by verifying modes. */
  trust?: string;
  /** Verification failures let through, on top of the mode alias's own (Runway's allow_expired: expired). */
  forgives?: readonly Forgivable[];
}

/**
 * The forgivable kind of each verifyChain problem code; a code not listed is never forgiven
 * (a forged signature, a non-CA issuer, revocation). The untrusted-issuer codes are the ones
 * nginx's optional_no_ca lets through (ngx_ssl_verify_error_optional).
 */
export const FORGIVABLE_CODES: Readonly<Record<string, Forgivable>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted-issuer',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  INVALID_PURPOSE: 'wrong-eku',
};

export interface ServerRoute {
  /** Reported in views and counters; default: the path. */
  name?: string;
  /** Path prefix, matched at a segment boundary ("/payments" matches "/payments/x"). */
  path: string;
  /** null: no client_mtls on this route, every client passes. */
  policy: RoutePolicy | null;
}

/** What a route decided about one request; patched into the connection's view. */
export type RouteVerdict = Pick<ServerView, 'decision' | 'stage' | 'reason' | 'verified' | 'verifyError'> & {
  route: string;
};

export const ADMIN_PATH = '/admin/client-mtls';

export interface PresentedChain {
  leaf: X509Certificate;
  intermediates: X509Certificate[];
}

/**
 * The chain as the client sent it. getPeerCertificate(true) also appends issuers it finds in
 * the listener's own trust store, which is why a routed listener is given no `ca` at all.
 */
export function presentedChain(socket: Pick<TLSSocket, 'getPeerCertificate'>): PresentedChain | undefined {
  const [leaf, ...intermediates] = peerChain(socket);
  return leaf && { leaf, intermediates };
}

interface CompiledRoute {
  name: string;
  path: string;
  mode: Mode | null;
  trusted: X509Certificate[];
  forgives: readonly Forgivable[];
  verified: number;
  rejected: number;
}

export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly ServerRoute[]) {
    this.routes = routes.map((route) => {
      const behaviour = route.policy ? resolveBehaviour(route.policy.mode) : null;
      return {
        name: route.name ?? route.path,
        path: route.path,
        mode: behaviour?.mode ?? null,
        trusted: splitPem(route.policy?.trust ?? '', 'CERTIFICATE').map((pem) => new X509Certificate(pem)),
        forgives: sortForgives([...(behaviour?.forgives ?? []), ...(route.policy?.forgives ?? [])]),
        verified: 0,
        rejected: 0,
      };
    });
    for (const route of this.routes) {
      if (route.mode && MODE_PROMISES[route.mode].verifies && route.trusted.length === 0)
        throw new Error(`route ${route.name} verifies client certificates but has no CA pool (trust)`);
    }
  }

  /** The longest route path that prefixes the request path at a segment boundary. */
  match(path: string): CompiledRoute | undefined {
    const pathname = path.split('?')[0] ?? path;
    const fits = (prefix: string) =>
      prefix === '/' ||
      pathname === prefix ||
      pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
    return this.routes.filter((route) => fits(route.path)).sort((a, b) => b.path.length - a.path.length)[0];
  }

  /** Runway's admin answer: {route: {verified, rejected}} for the routes with a policy. */
  counters(): Record<string, { verified: number; rejected: number }> {
    const counts: Record<string, { verified: number; rejected: number }> = {};
    for (const route of this.routes) {
      if (route.mode) counts[route.name] = { verified: route.verified, rejected: route.rejected };
    }
    return counts;
  }

  /** Judges the certificate of the connection under the route's policy, and counts it. */
  async decide(route: CompiledRoute, chain: PresentedChain | undefined): Promise<RouteVerdict> {
    const verdict = await judge(route, chain);
    if (route.mode) {
      if (verdict.decision === 'accepted') route.verified++;
      else route.rejected++;
    }
    return verdict;
  }
}

async function judge(route: CompiledRoute, chain: PresentedChain | undefined): Promise<RouteVerdict> {
  const base = { route: route.name, stage: null, verified: null, verifyError: null } as const;
  const refuse = (reason: string, verified: boolean | null, verifyError: string | null): RouteVerdict => ({
    ...base,
    decision: 'rejected',
    stage: 'request',
    reason: `route ${route.name}: ${reason}`,
    verified,
    verifyError,
  });
  if (!route.mode) return { ...base, decision: 'accepted', reason: `route ${route.name} has no client_mtls` };
  const promise = MODE_PROMISES[route.mode];
  if (!chain) {
    if (promise.requires)
      return refuse('a client certificate is required and none was presented', null, null);
    return {
      ...base,
      decision: 'accepted',
      reason: `route ${route.name}: no certificate, and none is required`,
    };
  }
  if (!promise.verifies)
    return {
      ...base,
      decision: 'accepted',
      reason: `route ${route.name}: certificate present; not verified`,
    };
  const check = await verifyChain({ ...chain, trusted: route.trusted, purpose: 'client' });
  const forgives = (code: string) => {
    const kind = FORGIVABLE_CODES[code];
    return kind !== undefined && route.forgives.includes(kind);
  };
  const problems = check.problems.filter((p) => !forgives(p.code));
  // The root cause (the first problem found), as Go's x509 Verify names one error.
  const error = problems[0]?.code ?? null;
  if (error)
    return refuse(`client certificate did not verify against the route's CA pool: ${error}`, false, error);
  // A forgiven certificate did not verify, and the view says so (nginx: $ssl_client_verify
  // FAILED:..., answer 200); the route accepts it all the same.
  const forgiven = check.problems[0]?.code ?? null;
  const codes = [...new Set(check.problems.map((p) => p.code))];
  return {
    ...base,
    decision: 'accepted',
    reason: forgiven
      ? `route ${route.name}: client certificate did not verify against the route's CA pool (${codes.join(', ')}), which the route forgives (${route.forgives.join(', ')})`
      : `route ${route.name}: client certificate verified against the route's CA pool`,
    verified: forgiven === null,
    verifyError: forgiven,
  };
}
