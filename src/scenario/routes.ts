/**
 * Servers with per-route client mTLS (Runway): the checks that need more than one field, and
 * the expansion of each route into a ServerRequest of its own (named server/route) that shares
 * the server's listener. A route's client_mtls overrides the server's default field by field,
 * as Runway's per-route settings override its global ones.
 *
 * Routes are also where forgives live: a route verifies at the application layer with its own
 * chain check and can let single failures through, while a plain built-in server verifies
 * inside OpenSSL's handshake (Node, openssl s_server) and cannot, so forgives on a plain
 * server is refused with the route that expresses it.
 */
import type { ServerRequest } from '../matrix/plan.js';
import type { RoutePolicySpec } from '../matrix/types.js';
import {
  describeBehaviour,
  type Forgivable,
  MODE_PROMISES,
  modeNamesHelp,
  resolveBehaviour,
  sortForgives,
} from '../modes.js';
import type { FieldPath, Problem } from './locate.js';
import type { RawScenario } from './schema.js';

type RawServer = NonNullable<RawScenario['servers']>[number];
/** What route checks read of a server: its default client_mtls (a server's or a target's). */
type RouteDefaults = Pick<RawServer, 'client_mtls'>;
type RawRoute = NonNullable<RawServer['routes']>[number];
type RawClientMtls = NonNullable<RawServer['client_mtls']>;

/** Runway's default client_auth. */
const VERIFY = { ...resolveBehaviour('verify'), name: 'verify' };

/** The route's effective client_mtls: the server's default, overridden by the route's own. */
function effective(server: RouteDefaults, route: RawRoute): RawClientMtls | undefined {
  if (!server.client_mtls && !route.client_mtls) return undefined;
  return { ...server.client_mtls, ...route.client_mtls };
}

/** What a client_mtls forgives: its client_auth alias's, its forgives, and allow_expired. */
function forgivesOf(mtls: RawClientMtls): Forgivable[] {
  const auth = mtls.client_auth ?? VERIFY;
  return sortForgives([
    ...auth.forgives,
    ...(mtls.forgives ?? []),
    ...(mtls.allow_expired ? ['expired' as const] : []),
  ]);
}

/** Runway's modes: verify (the default) / require / request; or any mode name. */
export function routePolicy(server: RouteDefaults, route: RawRoute): RoutePolicySpec | null {
  const mtls = effective(server, route);
  if (!mtls || mtls.enabled === false) return null;
  const mode = (mtls.client_auth ?? VERIFY).mode;
  const verifies = MODE_PROMISES[mode].verifies;
  return {
    mode,
    trust: verifies ? (mtls.client_ca ?? null) : null,
    forgives: verifies ? forgivesOf(mtls) : [],
  };
}

/** Where a client_mtls field of a route is written: the route's own, else the server's default. */
function fieldAt(
  server: RouteDefaults,
  route: RawRoute,
  at: FieldPath,
  field: keyof RawClientMtls,
): FieldPath {
  if (route.client_mtls?.[field] !== undefined) return [...at, 'client_mtls', field];
  return [...at.slice(0, 2), 'client_mtls', field];
}

/** The route that does what a plain server cannot: verify and forgive. */
function asRoute(clientAuth: string, forgives: readonly Forgivable[]): string {
  const more = forgives.length > 0 ? `, forgives: [${forgives.join(', ')}]` : '';
  return `routes: [{name: all, path: /, client_mtls: {client_auth: ${clientAuth}, client_ca: root${more}}}]`;
}

/** A plain server that forgives something (a forgiving alias, or forgives:) cannot be built. */
function plainForgives(server: RawServer, at: FieldPath): Problem[] {
  const own = server.forgives ?? [];
  const alias = server.mode?.forgives.length ? server.mode : undefined;
  if (own.length === 0 && !alias) return [];
  const what =
    alias && own.length === 0
      ? `${alias.name} is ${describeBehaviour(alias)}, which`
      : `forgives: [${own.join(', ')}]`;
  return [
    {
      path: [...at, own.length > 0 ? 'forgives' : 'mode'],
      message: `${what} needs routes: the built-in servers (and openssl s_server) verify inside the TLS handshake and cannot let single failures through, while a route verifies each HTTPS or HTTP/2 request itself; write the server as ${asRoute(server.mode?.name ?? 'verify', own)}`,
    },
  ];
}

/** Problems of one route's effective client_mtls. */
export function routeProblems(server: RouteDefaults, route: RawRoute, at: FieldPath): Problem[] {
  const mtls = effective(server, route);
  if (!mtls || mtls.enabled === false) return [];
  const problems: Problem[] = [];
  const auth = mtls.client_auth ?? VERIFY;
  const where = (field: keyof RawClientMtls) => fieldAt(server, route, at, field);
  if (!MODE_PROMISES[auth.mode].requests)
    problems.push({
      path: where('client_auth'),
      message: `a route cannot stop the listener asking for a certificate (client_auth: ${auth.name}); for a route without client mTLS write enabled: false`,
    });
  const verifies = MODE_PROMISES[auth.mode].verifies;
  if (verifies && mtls.client_ca === undefined)
    problems.push({
      path: route.client_mtls ? [...at, 'client_mtls'] : at,
      message: `route ${route.name} verifies (client_auth: ${mtls.client_auth?.name ?? 'verify, the default'}) but names no client_ca; give root, intermediate or unrelated here or in the server's client_mtls`,
    });
  const forgiving = (mtls.forgives?.length ?? 0) > 0 || mtls.allow_expired === true;
  if (!verifies && forgiving)
    problems.push({
      path: where(mtls.forgives?.length ? 'forgives' : 'allow_expired'),
      message: `route ${route.name} does not verify certificates (client_auth: ${auth.name}), so there is nothing to forgive`,
    });
  if (mtls.allow_expired === false && forgivesOf(mtls).includes('expired'))
    problems.push({
      path: where('allow_expired'),
      message: `route ${route.name} says allow_expired: false but forgives expired; drop one of them`,
    });
  return problems;
}

export function checkRoutes(servers: readonly RawServer[]): Problem[] {
  const problems: Problem[] = [];
  servers.forEach((server, index) => {
    const at: FieldPath = ['servers', index];
    if (!server.routes) {
      if (server.mode === undefined)
        problems.push({
          path: [...at, 'mode'],
          message: `required field is missing: every server needs a mode (or routes); valid modes and aliases: ${modeNamesHelp()}`,
        });
      if (server.client_mtls)
        problems.push({
          path: [...at, 'client_mtls'],
          message: "client_mtls is the default of a server's routes, and this server has no routes",
        });
      problems.push(...plainForgives(server, at));
      return;
    }
    if (server.mode !== undefined && server.mode.mode !== 'request_client_cert')
      problems.push({
        path: [...at, 'mode'],
        message: `a server with routes listens in request_client_cert (Runway's client_auth: "request") and each route decides; drop the mode or write "request" (got ${describeBehaviour(server.mode)})`,
      });
    if (server.forgives !== undefined)
      problems.push({
        path: [...at, 'forgives'],
        message:
          "a server with routes never verifies in the handshake; write forgives in the routes' client_mtls (or the server's client_mtls, their default)",
      });
    if (server.engine !== undefined && server.engine !== 'node')
      problems.push({
        path: [...at, 'engine'],
        message: 'per-route client mTLS is implemented by the built-in node engine only',
      });
    const names = server.routes.map((route) => route.name);
    const paths = server.routes.map((route) => route.path);
    server.routes.forEach((route, r) => {
      const routeAt: FieldPath = [...at, 'routes', r];
      if (names.indexOf(route.name) !== r)
        problems.push({ path: [...routeAt, 'name'], message: `duplicate route name "${route.name}"` });
      if (paths.indexOf(route.path) !== r)
        problems.push({ path: [...routeAt, 'path'], message: `duplicate route path "${route.path}"` });
      problems.push(...routeProblems(server, route, routeAt));
    });
  });
  return problems;
}

/** One ServerRequest per plain server, and one per route of a routed server. */
export function serverRequests(servers: readonly RawServer[]): ServerRequest[] {
  return servers.flatMap(
    ({ check_crl, client_mtls: _default, routes, mode, forgives: _forgives, ...server }): ServerRequest[] => {
      const common = { ...server, checkCrl: check_crl };
      if (!routes) return [{ ...common, mode: mode?.mode ?? 'request_client_cert' }];
      return routes.map((route) => {
        const policy = routePolicy({ ...server, client_mtls: _default }, route);
        return {
          ...common,
          name: `${server.name}/${route.name}`,
          mode: policy?.mode ?? 'request_client_cert',
          listener: server.name,
          route: { name: route.name, path: route.path, policy },
        };
      });
    },
  );
}
