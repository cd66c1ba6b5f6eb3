/**
 * The one loop that runs client attempts: a bounded pool of real clients, every in-flight
 * attempt listening for the abort, and an Interrupted error once aborted. The built-in
 * matrix, `--target`, discovery and `probe` all run their attempts through it.
 */
import { setMaxListeners } from 'node:events';
import { runClient } from '../clients/run-client.js';
import type { ClientAttempt, ClientResult } from '../clients/types.js';
import { Interrupted } from '../errors.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { type PoolOptions, runPool } from './pool.js';

export interface AttemptOptions extends PoolOptions {
  timeoutMs: number;
  /** Says what was interrupted, for the message. */
  what?: string;
}

/** Runs `attemptOf(item)` for every item (undefined = not run) and returns the results in order. */
export async function runAttempts<T>(
  items: readonly T[],
  options: AttemptOptions,
  attemptOf: (item: T) => Omit<ClientAttempt, 'timeoutMs' | 'signal'> | undefined,
): Promise<(ClientResult | undefined)[]> {
  const { signal } = options;
  if (signal) setMaxListeners(options.concurrency + 16, signal);
  const results = await runPool(items, options, async (item) => {
    const attempt = attemptOf(item);
    return attempt ? runClient({ ...attempt, timeoutMs: options.timeoutMs, signal }) : undefined;
  });
  if (signal?.aborted) throw new Interrupted(`${options.what ?? 'run'} interrupted`);
  return results;
}

/** Where a client connects and what it trusts for the server. */
export interface Endpoint {
  host: string;
  port: number;
  /** SNI and the name the server's certificate must carry, when not the host. */
  servername?: string;
  serverTrust: string;
}

/** One identity over one protocol and TLS version against an endpoint. */
export function attemptAt(
  endpoint: Endpoint,
  identity: IdentityMaterial,
  protocol: Protocol,
  tls: TlsVersion,
  path?: string,
): Omit<ClientAttempt, 'timeoutMs' | 'signal'> {
  return {
    protocol,
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.servername ? { servername: endpoint.servername } : {}),
    tls,
    certChain: identity.chain,
    key: identity.key,
    // The control row keeps its own (wrong) trust; everyone else trusts the server.
    serverTrust: identity.traits.trustsServer ? endpoint.serverTrust : identity.serverTrust,
    ...(path ? { path } : {}),
  };
}
