/**
 * Server engines: the built-in Node servers, and external implementations driven as child
 * processes. An engine that cannot serve a protocol, or is not installed, makes its cells
 * skipped with the reason, never failed.
 */
import type { ServerSpec } from '../matrix/types.js';
import type { PkiMaterial } from '../pki/types.js';
import { startServer } from '../servers/server.js';
import { opensslAvailable, startOpensslServer } from './openssl.js';
import type { Engine, EngineServer } from './types.js';

export { ENGINES, type Engine, type EngineServer, unservedReason } from './types.js';

/** Why an engine cannot run on this machine; undefined when it can. */
export async function unavailableReason(engine: Engine): Promise<string | undefined> {
  if (engine === 'node') return undefined;
  const openssl = await opensslAvailable();
  return openssl.ok ? undefined : openssl.reason;
}

export async function startEngine(
  spec: ServerSpec,
  pki: PkiMaterial,
  signal?: AbortSignal,
): Promise<EngineServer> {
  const options = { mode: spec.mode, pki, tls: spec.tls, checkCrl: spec.checkCrl };
  if (spec.engine === 'openssl') return startOpensslServer({ ...options, signal });
  // A route's pool is one of the PKI's CAs, named in the plan and handed over as PEM here.
  const routes = spec.routes?.map((route) => ({
    name: route.name,
    path: route.path,
    policy: route.policy && {
      mode: route.policy.mode,
      forgives: route.policy.forgives,
      ...(route.policy.trust ? { trust: pki.cas[route.policy.trust].cert } : {}),
    },
  }));
  const server = await startServer(routes ? { ...options, routes } : options);
  return Object.assign(server, { engine: 'node' as const, portFor: () => server.port });
}
