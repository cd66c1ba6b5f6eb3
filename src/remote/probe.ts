/**
 * probeTarget(): which client-auth mode does a server implement? Presents no certificate, a
 * self-signed one, one from an untrusted CA and (with a PKI the server trusts) a valid one,
 * over raw TLS and HTTPS in every TLS version the server speaks, asks openssl whether the
 * server sends a CertificateRequest, and hands the observations to inferProbe().
 */
import { setMaxListeners } from 'node:events';
import { runClient } from '../clients/run-client.js';
import { InputError, Interrupted } from '../errors.js';
import { runPool } from '../matrix/pool.js';
import type { Mode } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import { TLS_VERSIONS, type TlsVersion } from '../servers/types.js';
import { type CertificateRequestCheck, checkCertificateRequest } from './certificate-request.js';
import type { ModeClass } from './infer.js';
import { formatTarget, type TargetAddress } from './parse.js';
import { type Confidence, inferProbe, judgeAttempt, type ProbeAttempt } from './probe-infer.js';
import { waitForTarget } from './reach.js';
import { checkServerTrust, systemRootsPem } from './trust.js';

export interface ProbeOptions {
  target: TargetAddress;
  servername?: string;
  /** What the clients trust for the server; default: the PKI's server CA, else Node's public roots. */
  serverCaPem?: string;
  /** Where serverCaPem came from, for error messages. */
  serverCaSource?: string;
  /** A PKI whose client CA the server trusts: adds the `valid` identity. */
  pki?: PkiMaterial;
  timeoutMs: number;
  waitSeconds?: number;
  signal?: AbortSignal;
  /** The openssl binary for the CertificateRequest check; default `openssl`. */
  openssl?: string;
}

export interface ProbeReport {
  target: string;
  servername: string | null;
  mode: Mode | null;
  class: ModeClass | null;
  confidence: Confidence;
  evidence: string[];
  notes: string[];
  certificate_request: { sent: boolean; ca_names: string[]; command: string } | null;
  /** Why certificate_request is null. */
  certificate_request_unavailable: string | null;
  tls_versions: TlsVersion[];
  trusted_identity: boolean;
  attempts: {
    identity: string;
    protocol: string;
    tls: TlsVersion;
    verdict: string;
    how: string;
    by_application: boolean;
  }[];
}

const PROBE_IDENTITIES = ['none', 'self-signed', 'untrusted-ca'] as const;
const PROTOCOLS = ['tls', 'https'] as const;

function pick(pki: PkiMaterial, names: readonly string[]): IdentityMaterial[] {
  return names.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity)
      throw new InputError(`the PKI${pki.dir ? ` in ${pki.dir}` : ''} has no "${name}" identity`);
    return identity;
  });
}

export async function probeTarget(options: ProbeOptions): Promise<ProbeReport> {
  const { target, signal } = options;
  const servername = options.servername ?? target.servername;
  const serverTrust = options.serverCaPem ?? options.pki?.serverCa ?? systemRootsPem();
  const trustSource =
    options.serverCaSource ??
    (options.serverCaPem ? 'the given CA' : options.pki ? "the PKI's server CA" : "Node's public root CAs");
  await waitForTarget(target, options.waitSeconds ?? 0, signal);
  const common = { ...(servername ? { servername } : {}), timeoutMs: options.timeoutMs, signal };
  // Only the self-signed and untrusted-CA identities of a fresh PKI are used: no server trusts it.
  const [unsupported, pki] = await Promise.all([
    checkServerTrust(target, { ...common, serverTrust, tls: TLS_VERSIONS, trustSource }),
    options.pki ?? generatePki(),
  ]);
  const versions = TLS_VERSIONS.filter((tls) => !unsupported.some((u) => u.tls === tls));
  if (versions.length === 0)
    throw new InputError(
      `${formatTarget(target)} completed no handshake in TLS 1.2 or 1.3 (${unsupported.map((u) => u.why).join('; ')}); is it a TLS server?`,
    );
  const identities = pick(pki, options.pki ? [...PROBE_IDENTITIES, 'valid'] : PROBE_IDENTITIES);
  const plan = identities.flatMap((identity) =>
    PROTOCOLS.flatMap((protocol) => versions.map((tls) => ({ identity, protocol, tls }))),
  );
  if (signal) setMaxListeners(plan.length + 16, signal);
  const [results, certificateRequest] = await Promise.all([
    runPool(plan, { concurrency: 8, signal }, (cell) =>
      runClient({
        protocol: cell.protocol,
        host: target.host,
        port: target.port,
        tls: cell.tls,
        certChain: cell.identity.chain,
        key: cell.identity.key,
        serverTrust,
        ...common,
      }),
    ),
    checkCertificateRequest(target, { ...common, openssl: options.openssl }),
  ]);
  if (signal?.aborted) throw new Interrupted('probe interrupted');

  const attempts: ProbeAttempt[] = plan.map((cell, i) => ({
    identity: cell.identity.name,
    protocol: cell.protocol,
    tls: cell.tls,
    ...judgeAttempt(results[i]!),
  }));
  const inference = inferProbe({ identities, attempts, certificateRequest });
  const notes = [
    ...unsupported.map(
      (u) =>
        `The server does not speak TLS ${u.tls} (${u.why}); probed over TLS ${versions.join(' and ')} only.`,
    ),
    ...inference.notes,
  ];
  return {
    target: formatTarget(target),
    servername: servername ?? null,
    mode: inference.mode,
    class: inference.class,
    confidence: inference.confidence,
    evidence: inference.evidence,
    notes,
    certificate_request: requestJson(certificateRequest),
    certificate_request_unavailable: certificateRequest.available ? null : certificateRequest.reason,
    tls_versions: versions,
    trusted_identity: options.pki !== undefined,
    attempts: attempts.map(({ byApplication, ...attempt }) => ({
      ...attempt,
      by_application: byApplication,
    })),
  };
}

function requestJson(check: CertificateRequestCheck): ProbeReport['certificate_request'] {
  return check.available ? { sent: check.sent, ca_names: check.caNames, command: check.command } : null;
}
