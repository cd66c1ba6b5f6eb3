/**
 * `matrix --target`: the client matrix against one server the user runs. Discovery first
 * (which TLS versions and protocols it serves, one connection at a time or many), then the
 * cells it serves, judged by the one judge, against the behaviour the user expects or, without
 * one, the behaviour the observations fit best — and the run says how well they fit.
 */
import type { ClientResult } from '../clients/types.js';
import { printable, UsageError } from '../errors.js';
import { attemptAt, type Endpoint, runAttempts } from '../matrix/attempts.js';
import { notableObservations } from '../matrix/observations.js';
import { summarise } from '../matrix/summary.js';
import type { MatrixResult } from '../matrix/types.js';
import { judgedCell, unrunCell } from '../matrix/verdict.js';
import type { Behaviour } from '../modes.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { checkCertificateRequest } from './certificate-request.js';
import { attemptKey, type Discovery, discover, protocolKey } from './discover.js';
import type { TargetKnowledge } from './expect.js';
import { formatTarget, type TargetAddress } from './parse.js';
import { judgeRoutes, judgeWhole } from './judge-target.js';
import { planTargetCells, referenceIdentities, type TargetCell } from './plan.js';
import { planRouteCells, type TargetRoute } from './routes.js';
import { waitForTarget } from './reach.js';
import { systemRootsPem } from './trust.js';

export interface TargetMatrixOptions {
  target: TargetAddress;
  /** SNI and the name the target's certificate must carry; default: the target's host name. */
  servername?: string;
  /** What the clients trust for the target; default: the PKI's serverCa when trusted, else public roots. */
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
  /** Judge the cells against this behaviour; without it, against the one the observations fit best. */
  expect?: Behaviour;
  /** A per-route gateway: each route's cells request its path and are judged by its policy. */
  routes?: readonly TargetRoute[];
  /** The target checks CRLs; undefined = unknown. */
  checksCrl?: boolean;
  /** The target also trusts the intermediate CA (true) or the root only (false); undefined = unknown. */
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

function chooseIdentities(pki: PkiMaterial, names: readonly string[] | undefined): IdentityMaterial[] {
  if (!names) return pki.identities;
  return names.map((name) => {
    const identity = pki.identities.find((candidate) => candidate.name === name);
    if (!identity) {
      const known = pki.identities.map((candidate) => candidate.name).join(', ');
      throw new UsageError(`--identities: unknown identity "${printable(name)}"; available here: ${known}.`);
    }
    return identity;
  });
}

const timedOut = (result: ClientResult) =>
  result.handshake.kind === 'timeout' || result.request.kind === 'timeout';

export async function targetMatrix(options: TargetMatrixOptions): Promise<MatrixResult> {
  const started = performance.now();
  const { target, pki, signal } = options;
  const identities = chooseIdentities(pki, options.identities);
  if (identities.length === 0 || options.protocols.length === 0 || options.tls.length === 0)
    throw new UsageError('The filters leave no cell to run (identities, protocols or TLS versions).');
  const servername = options.servername ?? target.servername;
  const pkiTrusted = options.pkiTrusted ?? pki.dir !== undefined;
  const endpoint: Endpoint = {
    host: target.host,
    port: target.port,
    ...(servername ? { servername } : {}),
    // A PKI made for this run cannot have issued the target's certificate: try the public roots.
    serverTrust: options.serverCaPem ?? (pkiTrusted ? pki.serverCa : systemRootsPem()),
  };
  const trustSource =
    options.serverCaSource ??
    (options.serverCaPem ? 'the given CA' : pkiTrusted ? "the PKI's server CA" : "Node's public root CAs");
  const knowledge: TargetKnowledge = {
    checksCrl: options.checksCrl,
    trustsIntermediate: options.trustsIntermediate,
    pkiTrusted,
  };

  await waitForTarget(target, options.waitSeconds ?? 0, signal);
  const discovery = await discover({
    endpoint,
    references: referenceIdentities(pki, pkiTrusted),
    versions: options.tls,
    protocols: options.protocols,
    timeoutMs: options.timeoutMs,
    signal,
    trustSource,
  });
  const planned = options.routes
    ? planRouteCells(identities, options.protocols, options.tls, discovery, options.routes)
    : planTargetCells(
        identities,
        options.protocols,
        options.tls,
        discovery,
        options.expect ?? { mode: 'no_client_certs', forgives: [] },
      );
  const { outcomes, notes } = await runPlanned(planned, discovery, endpoint, options);

  const observed = planned.map(({ spec }) => {
    const outcome = outcomes.get(spec.index);
    if (!outcome) return unrunCell(spec);
    const answers = discovery.protocols.get(protocolKey(spec.protocol, spec.tls))?.status === 'served';
    return judgedCell(spec, outcome, { answersProtocol: answers });
  });
  const judged = options.routes
    ? judgeRoutes(planned, observed, knowledge)
    : await judgeWhole(planned, observed, knowledge, {
        ...(options.expect ? { expect: options.expect } : {}),
        askCertificateRequest: () =>
          checkCertificateRequest(target, {
            ...(servername ? { servername } : {}),
            timeoutMs: options.timeoutMs,
            signal,
            openssl: options.openssl,
          }),
      });
  const { cells } = judged;
  const where = `${formatTarget(target)}${servername ? ` (server name ${servername})` : ''}`;
  const summary = summarise(cells, performance.now() - started);
  const problems = discoveryProblems(discovery);
  return {
    summary,
    cells,
    observations: [
      `Target ${where}, ${judged.headline}`,
      ...judged.notes,
      ...problems,
      ...discoveryNotes(discovery),
      ...notes,
      ...(knowledge.pkiTrusted
        ? []
        : [
            'The client identities come from a PKI generated for this run, which the target cannot trust: ' +
              'a verifying target refuses every certificate, even `valid`. Pass --pki DIR with the client CA the target trusts.',
          ]),
      ...notableObservations(cells, { serverViews: false }),
    ],
    problems,
    pki: { keyType: pki.keyType, dir: pki.dir ?? null, generated: pki.dir === undefined },
    scenario: null,
    target: formatTarget(options.target),
  };
}

/** Runs what discovery did not already run; against a one-at-a-time server, one at a time. */
async function runPlanned(
  planned: readonly TargetCell[],
  discovery: Discovery,
  endpoint: Endpoint,
  options: TargetMatrixOptions,
): Promise<{ outcomes: Map<number, ClientResult>; notes: string[] }> {
  const outcomes = new Map<number, ClientResult>();
  const toRun: TargetCell[] = [];
  for (const cell of planned) {
    if (cell.spec.notServed !== undefined) continue;
    // Discovery requested "/": its attempts stand in for a route's only where the path is the same.
    const known = cell.spec.path
      ? undefined
      : discovery.attempts.get(attemptKey(cell.identity.name, cell.spec.protocol, cell.spec.tls));
    if (known) outcomes.set(cell.spec.index, known);
    else toRun.push(cell);
  }
  const notes: string[] = [];
  const concurrency = discovery.serial.status ? 1 : options.concurrency;
  const run = (cells: readonly TargetCell[], limit: number, onDone?: (done: number, total: number) => void) =>
    runAttempts(
      cells,
      {
        concurrency: limit,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        onDone,
        what: 'matrix run',
      },
      ({ identity, spec }) => attemptAt(endpoint, identity, spec.protocol, spec.tls, spec.path),
    );
  const results = await run(toRun, concurrency, options.onProgress);
  toRun.forEach((cell, i) => outcomes.set(cell.spec.index, results[i]!));
  // A server that copes with fewer connections than we sent may have starved some: try those
  // again one at a time before calling them inconclusive.
  const starved = toRun.filter((cell) => timedOut(outcomes.get(cell.spec.index)!));
  if (concurrency > 1 && starved.length > 0) {
    const again = await run(starved, 1);
    starved.forEach((cell, i) => outcomes.set(cell.spec.index, again[i]!));
    const still = again.filter((result) => timedOut(result!)).length;
    notes.push(
      `${starved.length} cell(s) timed out with ${concurrency} connections in flight and were run again one at a time; ${still} still timed out.`,
    );
  }
  return { outcomes, notes };
}

/** Run-level problems: TLS versions the target did not answer at all. */
function discoveryProblems(discovery: Discovery): string[] {
  const silent = [...discovery.versions].filter(([, v]) => v.status === 'no-answer');
  if (silent.length === 0) return [];
  const all = silent.length === discovery.versions.size;
  return [
    `${all ? 'The target did not answer' : 'The target did not answer in part'}: ${silent.map(([, v]) => v.evidence).join('; ')}.`,
  ];
}

function discoveryNotes(discovery: Discovery): string[] {
  const notes = [...discovery.versions]
    .filter(([, v]) => v.status === 'not-served')
    .map(([tls, v]) => `Not served: TLS ${tls} (${v.evidence}).`);
  for (const [key, status] of discovery.protocols) {
    if (status.status === 'not-served')
      notes.push(`Not served: ${key.replace('@', ' in TLS ')} (${status.evidence}).`);
    if (status.status === 'unconfirmed')
      notes.push(
        `Unconfirmed: ${key.replace('@', ' in TLS ')} (${status.evidence}); a close without an answer there is inconclusive.`,
      );
  }
  if (discovery.serial.status)
    notes.push(
      `The target serves one connection at a time (${discovery.serial.evidence}); cells ran one after another.`,
    );
  return notes;
}
