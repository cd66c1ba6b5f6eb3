/**
 * Servers with per-route client mTLS (Runway): the checks that need more than one field, and
 * the expansion of each route into a ServerRequest of its own (named server/route) that shares
 * the server's listener. A route's client_mtls overrides the server's default field by field,
 * as Runway's per-route settings override its global ones.
 */
import type { ServerRequest } from '../matrix/plan.js';
import type { RoutePolicySpec } from '../matrix/types.js';
import { modeNamesHelp, resolveMode } from '../modes.js';
import type { FieldPath, Problem } from './locate.js';
import type { RawScenario } from './schema.js';

type RawServer = NonNullable<RawScenario['servers']>[number];
type RawRoute = NonNullable<RawServer['routes']>[number];
type RawClientMtls = NonNullable<RawServer['client_mtls']>;

/** The route's effective client_mtls: the server's default, overridden by the route's own. */
function effective(server: RawServer, route: RawRoute): RawClientMtls | undefined {
  if (!server.client_mtls && !route.client_mtls) return undefined;
  return { ...server.client_mtls, ...route.client_mtls };
}

/** Runway's modes: verify (the default) / require / request. */
export function routePolicy(server: RawServer, route: RawRoute): RoutePolicySpec | null {
  const mtls = effective(server, route);
  if (!mtls || mtls.enabled === false) return null;
  const mode = resolveMode(mtls.client_auth ?? 'verify');
  const verifies = mode === 'require_and_verify_client_cert';
  return {
    mode,
    trust: verifies ? (mtls.client_ca ?? null) : null,
    allowExpired: mtls.allow_expired ?? false,
  };
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
      return;
    }
    if (server.mode !== undefined && server.mode !== 'request_client_cert')
      problems.push({
        path: [...at, 'mode'],
        message: `a server with routes listens in request_client_cert (Runway's client_auth: "request") and each route decides; drop the mode or write "request" (got ${server.mode})`,
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
      const policy = routePolicy(server, route);
      if (policy?.mode === 'require_and_verify_client_cert' && policy.trust === null)
        problems.push({
          path: route.client_mtls ? [...routeAt, 'client_mtls'] : routeAt,
          message: `route ${route.name} verifies (client_auth: verify, the default) but names no client_ca; give root, intermediate or unrelated here or in the server's client_mtls`,
        });
    });
  });
  return problems;
}

/** One ServerRequest per plain server, and one per route of a routed server. */
export function serverRequests(servers: readonly RawServer[]): ServerRequest[] {
  return servers.flatMap(({ check_crl, client_mtls: _default, routes, ...server }): ServerRequest[] => {
    const common = { ...server, checkCrl: check_crl };
    if (!routes) return [{ ...common, mode: server.mode ?? 'request_client_cert' }];
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
  });
}
