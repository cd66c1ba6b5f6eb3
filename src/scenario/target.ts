/**
 * A scenario's `target`: a server the user runs, checked from outside with the same oracle as
 * `matrix --target`, either as one behaviour or route by route (a per-route gateway such as
 * Runway, each route with its own client_mtls). The checks that need more than one field, and
 * the translation into what the target matrix takes.
 */
import { resolve, dirname } from 'node:path';
import type { RoutePolicySpec } from '../matrix/types.js';
import { type Behaviour, describeBehaviour, MODE_PROMISES, sortForgives } from '../modes.js';
import { parseTarget, type TargetAddress } from '../remote/parse.js';
import { messageOf } from '../errors.js';
import type { FieldPath, Problem } from './locate.js';
import { routePolicy, routeProblems } from './routes.js';
import type { RawScenario } from './schema.js';

type RawTarget = NonNullable<RawScenario['target']>;

export interface ScenarioTargetRoute {
  name: string;
  path: string;
  /** null: the route has no client_mtls, so anyone gets through. */
  policy: RoutePolicySpec | null;
}

export interface ScenarioTarget {
  address: TargetAddress;
  url: string;
  servername?: string;
  /** Absolute path of the CA the clients trust for the target. */
  serverCaFile?: string;
  expect?: Behaviour;
  checksCrl?: boolean;
  trustsIntermediate?: boolean;
  waitSeconds?: number;
  routes?: ScenarioTargetRoute[];
}

export function checkTarget(raw: RawScenario): Problem[] {
  const target = raw.target;
  if (!target) return [];
  const at: FieldPath = ['target'];
  const problems: Problem[] = [];
  const refuse = (path: FieldPath, message: string) => problems.push({ path, message });
  if (raw.servers) refuse(['servers'], 'a scenario checks either built-in servers or a target, not both');
  if (raw.check_crl !== undefined)
    refuse(['check_crl'], 'with a target, say whether it checks CRLs with target.checks_crl');
  if (raw.expect)
    refuse(
      ['expect'],
      'explicit expectations select built-in servers; with a target, state its behaviour with target.mode and target.forgives, or a route by its client_mtls',
    );
  try {
    parseTarget(target.url, 'target.url');
  } catch (error) {
    // The problem is reported at target.url already: the parser's own prefix would repeat it.
    refuse([...at, 'url'], messageOf(error).replace(/^target\.url: /, ''));
  }
  if (target.forgives?.length) {
    if (!target.mode)
      refuse([...at, 'forgives'], 'forgives needs target.mode: it says what that mode lets through');
    else if (!MODE_PROMISES[target.mode.mode].verifies)
      refuse([...at, 'forgives'], `${target.mode.name} verifies nothing, so there is nothing to forgive`);
  }
  if (!target.routes) {
    if (target.client_mtls)
      refuse(
        [...at, 'client_mtls'],
        "client_mtls is the default of a target's routes, and this target has no routes",
      );
    return problems;
  }
  if (target.mode)
    refuse(
      [...at, 'mode'],
      `a per-route target is judged route by route: give each route its client_mtls instead of a mode (got ${describeBehaviour(target.mode)})`,
    );
  const names = target.routes.map((route) => route.name);
  const paths = target.routes.map((route) => route.path);
  target.routes.forEach((route, r) => {
    const routeAt: FieldPath = [...at, 'routes', r];
    if (names.indexOf(route.name) !== r) refuse([...routeAt, 'name'], `duplicate route name "${route.name}"`);
    if (paths.indexOf(route.path) !== r) refuse([...routeAt, 'path'], `duplicate route path "${route.path}"`);
    problems.push(...routeProblems(target, route, routeAt));
  });
  return problems;
}

/** The target as the matrix takes it; call only once checkTarget found nothing. */
export function scenarioTarget(target: RawTarget, scenarioPath: string): ScenarioTarget {
  const expect = target.mode
    ? {
        mode: target.mode.mode,
        forgives: sortForgives([...target.mode.forgives, ...(target.forgives ?? [])]),
      }
    : undefined;
  return {
    address: parseTarget(target.url, 'target.url'),
    url: target.url,
    ...(target.servername ? { servername: target.servername } : {}),
    ...(target.server_ca ? { serverCaFile: resolve(dirname(scenarioPath), target.server_ca) } : {}),
    ...(expect ? { expect } : {}),
    ...(target.checks_crl !== undefined ? { checksCrl: target.checks_crl } : {}),
    ...(target.trusts_intermediate !== undefined ? { trustsIntermediate: target.trusts_intermediate } : {}),
    ...(target.wait !== undefined ? { waitSeconds: target.wait } : {}),
    ...(target.routes
      ? {
          routes: target.routes.map((route) => ({
            name: route.name,
            path: route.path,
            policy: routePolicy(target, route),
          })),
        }
      : {}),
  };
}
