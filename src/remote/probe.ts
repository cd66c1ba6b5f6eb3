/**
 * probeTarget(): which client-auth behaviour does a server implement? Discovers what the
 * server serves, then presents no certificate, a self-signed one, one from an untrusted CA,
 * expired, not yet valid and wrong-EKU ones (and, with a PKI the server trusts, valid ones and
 * their variants) over raw TLS and HTTP in every TLS version it serves — one attempt after
 * another — asks openssl whether the server sends a CertificateRequest, and infers.
 */
import { InputError } from '../errors.js';
import { attemptAt, type Endpoint, runAttempts } from '../matrix/attempts.js';
import type { Behaviour, Forgivable, Mode } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import { type IdentityMaterial, type PkiMaterial, STANDARD_IDENTITIES } from '../pki/types.js';
import { answerJson } from '../report/answer-json.js';
import { stage } from '../stages.js';
import { type Protocol, TLS_VERSIONS, type TlsVersion } from '../servers/types.js';
import { type CertificateRequestCheck, checkCertificateRequest } from './certificate-request.js';
import { attemptKey, type Discovery, discover, protocolKey } from './discover.js';
import type { ModeClass } from './infer.js';
import { formatTarget, type TargetAddress } from './parse.js';
import { referenceIdentities } from './plan.js';
import { type Confidence, inferProbe, judgeAttempt, type ProbeAttempt } from './probe-infer.js';
import { waitForTarget } from './reach.js';
import { systemRootsPem } from './trust.js';

export interface ProbeOptions {
  target: TargetAddress;
  servername?: string;
  /** What the clients trust for the server; default: the PKI's server CA, else Node's public roots. */
  serverCaPem?: string;
  /** Where serverCaPem came from, for error messages. */
  serverCaSource?: string;
  /** A PKI whose client CA the server trusts: adds the valid identities. */
  pki?: PkiMaterial;
  timeoutMs: number;
  waitSeconds?: number;
  signal?: AbortSignal;
  /** The openssl binary for the CertificateRequest check; default `openssl`. */
  openssl?: string;
  /** Adds the user's own identities (--client-cert) to the PKI, judged against what the server trusts. */
  withOwn?: (pki: PkiMaterial, pkiTrusted: boolean) => Promise<PkiMaterial>;
}

export interface ProbeReport {
  version: number;
  target: string;
  servername: string | null;
  mode: Mode | null;
  /** The verification failures it lets through; empty when none, null when no mode was named. */
  forgives: Forgivable[] | null;
  class: ModeClass | null;
  confidence: Confidence;
  evidence: string[];
  notes: string[];
  certificate_request: { sent: boolean; ca_names: string[]; command: string } | null;
  /** Why certificate_request is null. */
  certificate_request_unavailable: string | null;
  tls_versions: TlsVersion[];
  protocols: Protocol[];
  trusted_identity: boolean;
  attempts: ({
    identity: string;
    protocol: string;
    tls: TlsVersion;
    verdict: string;
    how: string;
    by_application: boolean;
  } & ReturnType<typeof answerJson>)[];
}

export const PROBE_REPORT_VERSION = 2;

/** Each identity isolates one failure kind (with a trusted PKI) or adds it to untrusted-issuer. */
const PROBE_IDENTITIES = ['none', 'self-signed', 'untrusted-ca', 'expired', 'not-yet-valid', 'wrong-eku'];
const TRUSTED_IDENTITIES = ['valid', 'chain-no-intermediate', 'revoked'];
/** Over raw TLS and one HTTP protocol: enough to see TLS refusals and application refusals. */
const DISCOVERED_PROTOCOLS: readonly Protocol[] = ['tls', 'https', 'h2'];

function pick(pki: PkiMaterial, names: readonly string[]): IdentityMaterial[] {
  return names.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity)
      throw new InputError(`the PKI${pki.dir ? ` in ${pki.dir}` : ''} has no "${name}" identity`);
    return identity;
  });
}

/** Raw TLS when served, and the first HTTP protocol served (https, else h2). */
function probeProtocols(discovery: Discovery, tls: TlsVersion): Protocol[] {
  const status = (protocol: Protocol) => discovery.protocols.get(protocolKey(protocol, tls))?.status;
  const http =
    (['https', 'h2'] as const).find((p) => status(p) === 'served') ??
    (['https', 'h2'] as const).find((p) => status(p) === 'unconfirmed');
  return [...(status('tls') !== 'not-served' ? ['tls' as const] : []), ...(http ? [http] : [])];
}

export async function probeTarget(options: ProbeOptions): Promise<ProbeReport> {
  const { target, signal } = options;
  const servername = options.servername ?? target.servername;
  const pkiTrusted = options.pki !== undefined;
  const endpoint: Endpoint = {
    host: target.host,
    port: target.port,
    ...(servername ? { servername } : {}),
    serverTrust: options.serverCaPem ?? options.pki?.serverCa ?? systemRootsPem(),
  };
  const trustSource =
    options.serverCaSource ??
    (options.serverCaPem ? 'the given CA' : options.pki ? "the PKI's server CA" : "Node's public root CAs");
  await waitForTarget(target, options.waitSeconds ?? 0, signal);
  // A fresh PKI's identities are all untrusted there; each still adds its own failure kind.
  const generated = options.pki ?? (await generatePki({}, signal));
  const pki = options.withOwn ? await options.withOwn(generated, pkiTrusted) : generated;
  const standard: readonly string[] = STANDARD_IDENTITIES;
  const own = pki.identities.filter((identity) => !standard.includes(identity.name));
  const common = { timeoutMs: options.timeoutMs, signal };
  stage(`probing ${target.host}:${target.port}`);
  const discovery = await discover({
    endpoint,
    references: referenceIdentities(pki, pkiTrusted),
    versions: TLS_VERSIONS,
    protocols: DISCOVERED_PROTOCOLS,
    trustSource,
    // Every attempt of a probe runs alone anyway: no need to find out.
    checkSerial: false,
    ...common,
  });
  const versions = TLS_VERSIONS.filter((tls) => discovery.versions.get(tls)?.status === 'served');
  const identities = [
    ...pick(pki, pkiTrusted ? [...PROBE_IDENTITIES, ...TRUSTED_IDENTITIES] : PROBE_IDENTITIES),
    ...own,
  ];
  const plan = identities.flatMap((identity) =>
    versions.flatMap((tls) =>
      probeProtocols(discovery, tls).map((protocol) => ({ identity, protocol, tls })),
    ),
  );
  // One after another: a server that serves one connection at a time still answers each.
  const results = await runAttempts(plan, { concurrency: 1, what: 'probe', ...common }, (cell) =>
    discovery.attempts.has(attemptKey(cell.identity.name, cell.protocol, cell.tls))
      ? undefined
      : attemptAt(endpoint, cell.identity, cell.protocol, cell.tls),
  );
  const certificateRequest: CertificateRequestCheck =
    versions.length > 0
      ? await checkCertificateRequest(target, {
          ...(servername ? { servername } : {}),
          ...common,
          openssl: options.openssl,
        })
      : { available: false, reason: 'the server answered no TLS version', command: '' };

  const observed = plan.map(
    (cell, i) =>
      results[i] ?? discovery.attempts.get(attemptKey(cell.identity.name, cell.protocol, cell.tls))!,
  );
  const attempts: ProbeAttempt[] = plan.map((cell, i) => {
    const result = observed[i]!;
    const answers = discovery.protocols.get(protocolKey(cell.protocol, cell.tls))?.status === 'served';
    return {
      identity: cell.identity.name,
      protocol: cell.protocol,
      tls: cell.tls,
      ...judgeAttempt(result, { answersProtocol: answers }),
    };
  });
  const inference = inferProbe({ identities, attempts, certificateRequest, pkiTrusted });
  const silent = [...discovery.versions].filter(([, v]) => v.status !== 'served');
  const notes = [
    ...silent.map(([tls, v]) =>
      v.status === 'no-answer'
        ? `The server did not answer in TLS ${tls}: ${v.evidence}.`
        : `The server does not serve TLS ${tls} (${v.evidence}); probed over TLS ${versions.join(' and ') || 'nothing'} only.`,
    ),
    ...inference.notes,
  ];
  const behaviour: Behaviour | null = inference.behaviour;
  return {
    version: PROBE_REPORT_VERSION,
    target: formatTarget(target),
    servername: servername ?? null,
    mode: behaviour?.mode ?? null,
    forgives: behaviour ? [...behaviour.forgives] : null,
    class: inference.class,
    confidence: inference.confidence,
    evidence:
      versions.length > 0 ? inference.evidence : ['The server completed no TLS handshake: nothing to judge.'],
    notes,
    certificate_request: requestJson(certificateRequest),
    certificate_request_unavailable: certificateRequest.available ? null : certificateRequest.reason,
    tls_versions: versions,
    protocols: [...new Set(plan.map((cell) => cell.protocol))],
    trusted_identity: pkiTrusted,
    attempts: attempts.map(({ byApplication, ...attempt }, i) => ({
      ...attempt,
      by_application: byApplication,
      ...answerJson(observed[i]!.request),
    })),
  };
}

function requestJson(check: CertificateRequestCheck): ProbeReport['certificate_request'] {
  return check.available ? { sent: check.sent, ca_names: check.caNames, command: check.command } : null;
}
