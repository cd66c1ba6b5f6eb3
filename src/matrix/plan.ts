/**
 * Planning: which servers to start and which cells to run. Pure: data in, data out.
 * Cells are ordered server, identity, protocol, TLS version, which is the order reports use.
 */
import { driverOf, type Engine, unservedReason } from '../engines/registry.js';
import { inexpressible } from '../engines/types.js';
import type { Mode } from '../modes.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { engineExpectation } from './deviations.js';
import { expectCell } from './oracle.js';
import type { CellSpec, Expectation, RouteSpec, ServerSpec } from './types.js';

/** A server as a user describes it; it runs once per TLS version it serves. */
export interface ServerRequest {
  name: string;
  mode: Mode;
  /** Protocols to test against it; default: the plan's protocols. */
  protocols?: readonly Protocol[];
  /** TLS versions it serves; default: the plan's TLS versions. */
  tls?: readonly TlsVersion[];
  /** Checks the PKI's CRLs; default: the plan's checkCrl. */
  checkCrl?: boolean;
  /** What implements it; default: the plan's engine. */
  engine?: Engine;
  /**
   * One route of a per-route listener: its own cells (mode = the route's), which request the
   * route's path. Requests naming the same `listener` share one running server per TLS version.
   */
  route?: RouteSpec;
  /** The shared listener's name; default: this request's name. */
  listener?: string;
}

/** A routed listener judges HTTP requests; raw TLS and gRPC reach no route. */
export const ROUTE_UNSERVED =
  'a per-route listener judges HTTPS and HTTP/2 requests only; raw TLS and gRPC are not routed';

export interface PlanInput {
  /** One server per mode, named after it; ignored when `servers` is given. */
  modes: readonly Mode[];
  servers?: readonly ServerRequest[];
  identities: readonly IdentityMaterial[];
  protocols: readonly Protocol[];
  tls: readonly TlsVersion[];
  /** Servers check the PKI's CRLs (default true). */
  checkCrl?: boolean;
  /**
   * Engines of servers that name none (default node). With several, each such server runs on
   * each engine, named `engine:name`.
   */
  engines?: readonly Engine[];
  /** Explicit expectations that replace the oracle's for matching cells (scenarios). */
  override?: (cell: Omit<CellSpec, 'expected' | 'index'>) => Expectation | undefined;
}

export interface MatrixPlan {
  servers: ServerSpec[];
  cells: CellSpec[];
}

export const serverName = (name: string, tls: TlsVersion): string => `${name}@tls${tls}`;

/** Servers that name no engine run on each of the plan's engines. */
function perEngine(requests: readonly ServerRequest[], engines: readonly Engine[]): ServerRequest[] {
  if (engines.length <= 1)
    return requests.map((request) => ({ ...request, engine: request.engine ?? engines[0] }));
  return requests.flatMap((request) =>
    request.engine || request.route
      ? [request]
      : engines.map((engine) => ({
          ...request,
          name: `${engine}:${request.name}`,
          engine,
          ...(request.listener ? { listener: `${engine}:${request.listener}` } : {}),
        })),
  );
}

/** Why a cell is not run on its engine: the mode or the protocol is beyond it. */
function engineSkip(engine: Engine, mode: Mode, protocol: Protocol): string | undefined {
  const driver = driverOf(engine);
  const mapping = inexpressible(driver.modes[mode]);
  if (mapping) return `${engine} cannot express ${mode}: ${mapping}`;
  return unservedReason(engine, protocol);
}

export function planMatrix(input: PlanInput): MatrixPlan {
  const requests = perEngine(
    input.servers ?? input.modes.map((mode) => ({ name: mode, mode })),
    input.engines ?? ['node'],
  );
  const servers: ServerSpec[] = [];
  const cells: CellSpec[] = [];
  const listeners = new Map<string, ServerSpec>();
  for (const request of requests) {
    const route = request.route;
    // Per-route policies are the built-in server's (routes.ts).
    const engine = route ? 'node' : (request.engine ?? 'node');
    const driver = driverOf(engine);
    // An engine without CRL support checks none, and the oracle expects exactly that.
    const checkCrl = (request.checkCrl ?? input.checkCrl ?? true) && driver.crl === true;
    const versions = input.tls.filter((tls) => request.tls?.includes(tls) ?? true);
    const protocols = input.protocols.filter((protocol) => request.protocols?.includes(protocol) ?? true);
    for (const tls of versions) {
      if (route) {
        const name = serverName(request.listener ?? request.name, tls);
        const shared = listeners.get(name);
        if (shared) shared.routes?.push(route);
        else {
          const spec: ServerSpec = { name, mode: 'request_client_cert', tls, checkCrl, routes: [route] };
          listeners.set(name, spec);
          servers.push(spec);
        }
        continue;
      }
      const spec: ServerSpec = { name: serverName(request.name, tls), mode: request.mode, tls, checkCrl };
      servers.push(engine === 'node' ? spec : { ...spec, engine });
    }
    // A route verifies against its own pool and checks no CRLs (Runway has no CRL setting).
    const checks = route
      ? {
          checksCrl: false,
          trustAnchor: route.policy?.trust ?? undefined,
          forgives: route.policy?.forgives ?? [],
        }
      : { checksCrl: checkCrl };
    for (const identity of input.identities) {
      const oracle = expectCell(request.mode, identity.traits, checks);
      for (const protocol of protocols) {
        for (const tls of versions) {
          const expected =
            engine === 'node'
              ? oracle
              : engineExpectation(
                  driver,
                  { mode: request.mode, protocol, tls, traits: identity.traits },
                  checks,
                );
          const cell = {
            server: serverName(request.name, tls),
            mode: request.mode,
            identity: identity.name,
            protocol,
            tls,
          };
          const skipped =
            route && (protocol === 'tls' || protocol === 'grpc')
              ? ROUTE_UNSERVED
              : engineSkip(engine, request.mode, protocol);
          cells.push({
            ...cell,
            index: cells.length,
            expected: input.override?.(cell) ?? expected,
            ...(engine === 'node' ? {} : { engine }),
            ...(route
              ? { listener: serverName(request.listener ?? request.name, tls), path: route.path }
              : {}),
            ...(skipped ? { skipped } : {}),
          });
        }
      }
    }
  }
  return { servers, cells };
}
