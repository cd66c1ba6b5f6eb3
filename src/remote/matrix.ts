/**
 * `matrix --target`: the client matrix against one server the user runs. Cells are
 * identities × protocols × TLS versions; there are no server views (we cannot see inside),
 * so each cell is judged against the mode the user expects, or, without one, against the
 * mode the observations fit best — and the run says how well they fit.
 */
import { setMaxListeners } from 'node:events';
import { runClient } from '../clients/run-client.js';
import { InputError, Interrupted, UsageError } from '../errors.js';
import { notableObservations } from '../matrix/observations.js';
import { serverName } from '../matrix/plan.js';
import { runPool } from '../matrix/pool.js';
import { summarise } from '../matrix/summary.js';
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { meetsExpectation } from '../matrix/verdict.js';
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { interpretTargetRequest, targetVerdict } from './answer.js';
import { checkCertificateRequest, describeCertificateRequest } from './certificate-request.js';
import { type TargetKnowledge, targetExpectation } from './expect.js';
import { bestFits, certificateRequestRow, describeFit, fitModes, targetFitRows } from './infer.js';
import { formatTarget, type TargetAddress } from './parse.js';
import { waitForTarget } from './reach.js';
import { checkServerTrust, systemRootsPem } from './trust.js';

export interface TargetMatrixOptions {
  target: TargetAddress;
  /** SNI and the name the target's certificate must carry; default: the target's host name. */
  servername?: string;
  /**
   * What the clients trust for the target's certificate; default: the PKI's serverCa when the
   * target trusts the PKI (pkiTrusted), else Node's public root CAs.
   */
  serverCaPem?: string;
  /** Says where serverCaPem came from, for error messages (e.g. "--server-ca ca.pem"). */
  serverCaSource?: string;
  pki: PkiMaterial;
  /** The target trusts the PKI's client CA; default: the PKI was loaded from a folder (pki.dir set). */
  pkiTrusted?: boolean;
  /** Identity names to run; default: all of the PKI's. */
  identities?: readonly string[];
  protocols: readonly Protocol[];
  tls: readonly TlsVersion[];
  /** Judge the cells against this mode; without it, against the mode the observations fit best. */
  expectMode?: Mode;
  /** The target checks CRLs; undefined = unknown. */
  checksCrl?: boolean;
  /** The target also trusts the intermediate CA; undefined = unknown. */
  trustsIntermediate?: boolean;
  /** Wait up to this many seconds for the target to accept connections (default: try once). */
  waitSeconds?: number;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The openssl binary for the CertificateRequest check; default `openssl`. */
  openssl?: string;
}

interface TargetCell {
  identity: IdentityMaterial;
  protocol: Protocol;
  tls: TlsVersion;
}

function chooseIdentities(pki: PkiMaterial, names: readonly string[] | undefined): IdentityMaterial[] {
  if (!names) return pki.identities;
  return names.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity) {
      const known = pki.identities.map((candidate) => candidate.name).join(', ');
      throw new UsageError(`--identities: unknown identity "${name}"; available here: ${known}.`);
    }
    return identity;
  });
}

const cellLabel = (cell: { identity: string; protocol: Protocol; tls: TlsVersion }) =>
  `${cell.identity} over ${cell.protocol}, TLS ${cell.tls}`;

export async function targetMatrix(options: TargetMatrixOptions): Promise<MatrixResult> {
  const started = performance.now();
  const { target, pki } = options;
  const identities = chooseIdentities(pki, options.identities);
  if (identities.length === 0 || options.protocols.length === 0 || options.tls.length === 0)
    throw new UsageError('The filters leave no cell to run (identities, protocols or TLS versions).');
  const servername = options.servername ?? target.servername;
  const pkiTrusted = options.pkiTrusted ?? pki.dir !== undefined;
  // A PKI made for this run cannot have issued the target's certificate: try the public roots.
  const serverTrust = options.serverCaPem ?? (pkiTrusted ? pki.serverCa : systemRootsPem());
  const trustSource =
    options.serverCaSource ??
    (options.serverCaPem ? 'the given CA' : pkiTrusted ? "the PKI's server CA" : "Node's public root CAs");
  const knowledge: TargetKnowledge = {
    checksCrl: options.checksCrl,
    trustsIntermediate: options.trustsIntermediate,
    pkiTrusted,
  };

  await waitForTarget(target, options.waitSeconds ?? 0, options.signal);
  const preflight = { servername, timeoutMs: options.timeoutMs, signal: options.signal };
  const unsupported = await checkServerTrust(target, {
    ...preflight,
    serverTrust,
    tls: options.tls,
    trustSource,
  });
  const versions = options.tls.filter((tls) => !unsupported.some((u) => u.tls === tls));
  if (versions.length === 0)
    throw new InputError(
      `${formatTarget(target)} speaks none of the TLS versions asked for (${unsupported.map((u) => `TLS ${u.tls}: ${u.why}`).join('; ')}); is it a TLS server?`,
    );
  const notes = unsupported.map(
    (u) => `The target does not speak TLS ${u.tls} (${u.why}); its cells were left out.`,
  );

  const planned: TargetCell[] = identities.flatMap((identity) =>
    options.protocols.flatMap((protocol) => versions.map((tls) => ({ identity, protocol, tls }))),
  );
  if (options.signal) setMaxListeners(options.concurrency + 16, options.signal);
  const outcomes = await runPool(
    planned,
    { concurrency: options.concurrency, signal: options.signal, onDone: options.onProgress },
    (cell) =>
      runClient({
        protocol: cell.protocol,
        host: target.host,
        port: target.port,
        ...(servername ? { servername } : {}),
        tls: cell.tls,
        certChain: cell.identity.chain,
        key: cell.identity.key,
        // The control row keeps its own (wrong) trust; everyone else trusts the target.
        serverTrust: cell.identity.traits.trustsServer ? serverTrust : cell.identity.serverTrust,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      }),
  );
  if (options.signal?.aborted) throw new Interrupted('matrix run interrupted');

  const observed = planned.map((cell, i) => ({
    ...cell,
    result: outcomes[i]!,
    verdict: targetVerdict(outcomes[i]!),
  }));
  const rows = targetFitRows(
    observed.map((cell) => ({
      label: cellLabel({ ...cell, identity: cell.identity.name }),
      traits: cell.identity.traits,
      verdict: cell.verdict,
    })),
    knowledge,
  );
  let fits = fitModes(rows);
  // Only a CertificateRequest tells no_client_certs from request_client_cert: ask openssl.
  const tied = bestFits(fits).map((fit) => fit.mode);
  if (
    !options.expectMode &&
    tied.some((m) => MODE_PROMISES[m].requests) &&
    tied.some((m) => !MODE_PROMISES[m].requests)
  ) {
    const check = await checkCertificateRequest(target, { ...preflight, openssl: options.openssl });
    notes.push(describeCertificateRequest(check));
    if (check.available) {
      rows.push(certificateRequestRow(check.sent));
      fits = fitModes(rows);
    }
  }
  const mode = options.expectMode ?? fits[0]!.mode;

  const cells: CellResult[] = observed.map((cell, index) => {
    const expected = targetExpectation(mode, cell.identity.traits, knowledge);
    return {
      index,
      server: serverName('target', cell.tls),
      mode,
      identity: cell.identity.name,
      protocol: cell.protocol,
      tls: cell.tls,
      expected,
      verdict: cell.verdict,
      pass: meetsExpectation(expected.verdict, cell.verdict),
      handshake: cell.result.handshake,
      request: interpretTargetRequest(cell.result),
      serverViews: [],
      durationMs: cell.result.endedAt - cell.result.startedAt,
    };
  });
  const where = `${formatTarget(target)}${servername ? ` (server name ${servername})` : ''}`;
  const observations = [
    options.expectMode
      ? `Target ${where}, judged against ${options.expectMode} as expected. ${describeFit(rows, fits)}`
      : `Target ${where}, judged against the mode the observations fit best. ${describeFit(rows, fits)}`,
    ...notes,
    ...(knowledge.pkiTrusted
      ? []
      : [
          'The client identities come from a PKI generated for this run, which the target cannot trust: ' +
            'a verifying target refuses every certificate, even `valid`. Pass --pki DIR with the client CA the target trusts.',
        ]),
    ...notableObservations(cells, { serverViews: false }),
  ];
  return {
    summary: summarise(cells, performance.now() - started),
    cells,
    observations,
    pki: { keyType: pki.keyType, dir: pki.dir ?? null, generated: pki.dir === undefined },
    scenario: null,
    target: formatTarget(options.target),
  };
}
