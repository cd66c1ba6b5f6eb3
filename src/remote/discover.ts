/**
 * Discovery before judging: which TLS versions and application protocols does the target
 * serve, and does it serve more than one connection at a time? Everything here runs one
 * attempt after another, so even a server that serves one connection at a time answers.
 *
 * - A version is served when the server answers the ClientHello in it (the client derives
 *   keys). An explicit refusal (protocol_version), or a close without a ServerHello while
 *   another version was answered, is "not served"; no answer in any version is "no answer".
 * - A protocol is served in a version when a reference identity (one the server is likely to
 *   accept: `valid` when the server trusts the PKI, then none, then self-signed) gets an
 *   answer over it. ALPN refusals, a handshake without h2, and HTTP/2 without a gRPC status are
 *   "not served"; a protocol that stays silent where another answered the same identity is
 *   "not served"; anything else is "unconfirmed".
 */
import { connect as tcpConnect } from 'node:net';
import type { ClientResult } from '../clients/types.js';
import { InputError } from '../errors.js';
import { isServerCertificateRefusal } from '../judge/judge.js';
import { attemptAt, type Endpoint, runAttempts } from '../matrix/attempts.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { formatTarget } from './parse.js';
import { protocolStatusOf, versionStatusOf } from './discover-rules.js';

export type VersionStatus = 'served' | 'not-served' | 'no-answer';
export type ProtocolStatus = 'served' | 'not-served' | 'unconfirmed';

export interface Discovered<S> {
  status: S;
  evidence: string;
}

export interface DiscoveryOptions {
  endpoint: Endpoint;
  /** Reference identities, most likely accepted first. */
  references: readonly IdentityMaterial[];
  versions: readonly TlsVersion[];
  protocols: readonly Protocol[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Where the server trust came from, for the error when the clients refuse the server. */
  trustSource: string;
  /** Find out whether the target serves one connection at a time (default true). */
  checkSerial?: boolean;
}

export interface Discovery {
  versions: Map<TlsVersion, Discovered<VersionStatus>>;
  protocols: Map<string, Discovered<ProtocolStatus>>;
  /** The target served a second connection only after the first closed. */
  serial: Discovered<boolean>;
  /** Every attempt made, by attemptKey(): reused as the matrix's cells. */
  attempts: Map<string, ClientResult>;
}

export const attemptKey = (identity: string, protocol: Protocol, tls: TlsVersion): string =>
  `${identity}|${protocol}|${tls}`;
export const protocolKey = (protocol: Protocol, tls: TlsVersion): string => `${protocol}@${tls}`;

/** How long a second connection may wait for its ServerHello while the first sits idle. */
const SERIAL_PROBE_MS = 1500;

export async function discover(options: DiscoveryOptions): Promise<Discovery> {
  const { endpoint, references } = options;
  const first = references[0];
  if (!first) throw new Error('discovery needs at least one reference identity');
  const attempts = new Map<string, ClientResult>();
  const once = async (
    identity: IdentityMaterial,
    protocol: Protocol,
    tls: TlsVersion,
    timeoutMs = options.timeoutMs,
  ) => {
    const key = attemptKey(identity.name, protocol, tls);
    const known = attempts.get(key);
    if (known) return known;
    const [result] = await runAttempts(
      [0],
      { concurrency: 1, timeoutMs, signal: options.signal, what: 'discovery' },
      () => attemptAt(endpoint, identity, protocol, tls),
    );
    attempts.set(key, result!);
    return result!;
  };

  // 1. TLS versions, over raw TLS (no ALPN to refuse).
  const versionResults = new Map<TlsVersion, ClientResult>();
  for (const tls of options.versions) {
    const result = await once(first, 'tls', tls);
    if (isServerCertificateRefusal(result.handshake)) throw untrustedServer(options, result);
    versionResults.set(tls, result);
  }
  const versions = versionStatusOf(versionResults);
  const served = options.versions.filter((tls) => versions.get(tls)?.status === 'served');

  // 2. One connection at a time?
  const serial =
    options.checkSerial === false
      ? { status: false, evidence: 'not checked' }
      : served[0]
        ? await serialCheck(options, served[0], first)
        : { status: false, evidence: 'not checked: no TLS version was answered' };

  // 3. Protocols, per served version, with the first reference identity that gets an answer.
  const protocols = new Map<string, Discovered<ProtocolStatus>>();
  for (const tls of served) {
    for (const reference of references) {
      const results = new Map<Protocol, ClientResult>();
      for (const protocol of options.protocols) {
        // gRPC rides on HTTP/2: a server that did not choose h2 for h2 will not for gRPC.
        const h2 = results.get('h2');
        const skipGrpc = protocol === 'grpc' && h2?.handshake.kind === 'ok' && h2.handshake.alpn !== 'h2';
        results.set(protocol, skipGrpc ? h2 : await once(reference, protocol, tls));
      }
      const statuses = protocolStatusOf(results, reference.name);
      for (const [protocol, status] of statuses) {
        const key = protocolKey(protocol, tls);
        const before = protocols.get(key);
        if (!before || before.status === 'unconfirmed') protocols.set(key, status);
      }
      if ([...statuses.values()].some((status) => status.status === 'served')) break;
    }
  }
  return { versions, protocols, serial, attempts };
}

function untrustedServer(options: DiscoveryOptions, result: ClientResult): InputError {
  const refusal = result.handshake;
  const hint = /HOSTNAME|ALTNAME/.test(refusal.code ?? '')
    ? 'pass --servername NAME with a name its certificate carries'
    : 'pass --server-ca FILE with the CA that issued its certificate';
  return new InputError(
    `the clients do not trust the certificate of ${formatTarget(options.endpoint)} (trusting ${options.trustSource}): ` +
      `${refusal.code}: ${refusal.detail ?? ''}; ${hint}. every connection would fail on the client side.`,
  );
}

/**
 * Holds one TCP connection open without a word, then asks for a second handshake. A server
 * that serves one connection at a time (`openssl s_server`) is still waiting on the first.
 */
async function serialCheck(
  options: DiscoveryOptions,
  tls: TlsVersion,
  identity: IdentityMaterial,
): Promise<Discovered<boolean>> {
  const idle = tcpConnect({ host: options.endpoint.host, port: options.endpoint.port });
  idle.on('error', () => {});
  try {
    await new Promise<void>((resolve) => {
      idle.once('connect', resolve);
      idle.once('error', () => resolve());
      idle.once('close', () => resolve());
    });
    const limit = Math.min(options.timeoutMs, SERIAL_PROBE_MS);
    const [second] = await runAttempts(
      [0],
      { concurrency: 1, timeoutMs: limit, signal: options.signal, what: 'discovery' },
      () => attemptAt(options.endpoint, identity, 'tls', tls),
    );
    if (second!.handshake.serverHello !== false)
      return { status: false, evidence: 'a second connection was answered while the first sat idle' };
    return {
      status: true,
      evidence: `while one connection sat idle, a second got no ServerHello within ${limit} ms`,
    };
  } finally {
    idle.destroy();
  }
}
