/**
 * Runs a planned matrix for real: starts the servers, runs every cell's client through a
 * bounded pool, links each cell to what the server saw, and tears everything down —
 * on success, failure and abort alike. This module owns the teardown of a run.
 */

import { setMaxListeners } from 'node:events';
import type { ClientResult } from '../clients/types.js';
import { driverOf, type EngineServer, unavailableReason } from '../engines/index.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import type { ServerView } from '../servers/types.js';
import { Interrupted } from '../errors.js';
import { type AttributableCell, attributeViews } from './attribute.js';
import type { MatrixPlan } from './plan.js';
import { attemptAt, runAttempts } from './attempts.js';
import type { CellResult, CellSpec, ServerSpec } from './types.js';
import { judgedCell, unrunCell } from './verdict.js';

export interface RunOptions {
  pki: PkiMaterial;
  plan: MatrixPlan;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Every server of the run is up (and its engine processes with it). */
  onStarted?: (servers: number) => void;
}

export async function runMatrix(options: RunOptions): Promise<CellResult[]> {
  const { pki } = options;
  const plan = await skipUnavailable(options.plan);
  const identities = new Map(pki.identities.map((identity) => [identity.name, identity]));
  const servers = new Map<string, EngineServer>();
  if (options.signal?.aborted) throw new Interrupted('matrix run interrupted');
  try {
    // Every in-flight cell and every external server process listens for the abort.
    if (options.signal) setMaxListeners(options.concurrency + 2 * plan.servers.length + 16, options.signal);
    // allSettled: a failed start must not leave the others' starts running past the teardown.
    const started = await Promise.allSettled(
      serversToStart(plan).map(async (spec) => {
        servers.set(spec.name, await startEngine(spec, pki, options.signal));
      }),
    );
    const failedStart = started.find((outcome) => outcome.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    options.onStarted?.(servers.size);
    const outcomes = await runAttempts(
      plan.cells,
      {
        concurrency: options.concurrency,
        signal: options.signal,
        onDone: options.onProgress,
        timeoutMs: options.timeoutMs,
        what: 'matrix run',
      },
      (cell) => (cell.skipped ? undefined : attemptOf(cell, servers, identities)),
    );
    // Closing first makes every server record its last connections before attribution.
    const viewsByServer = new Map<string, ServerView[]>();
    await Promise.all(
      [...servers].map(async ([name, server]) => {
        await server.close();
        viewsByServer.set(name, server.views());
      }),
    );
    servers.clear();
    return judge(plan.cells, outcomes, viewsByServer);
  } finally {
    await Promise.allSettled([...servers.values()].map((server) => server.close()));
  }
}

function startEngine(spec: ServerSpec, pki: PkiMaterial, signal?: AbortSignal): Promise<EngineServer> {
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
  const options = { mode: spec.mode, pki, tls: spec.tls, checkCrl: spec.checkCrl };
  return driverOf(spec.engine ?? 'node').start({
    ...options,
    ...(routes ? { routes } : {}),
    ...(signal ? { signal } : {}),
  });
}

/** Every cell of a server whose engine is not installed is skipped, with the engine's reason. */
async function skipUnavailable(plan: MatrixPlan): Promise<MatrixPlan> {
  const engines = [...new Set(plan.servers.map((spec) => spec.engine ?? 'node'))];
  const reasons = new Map(
    await Promise.all(engines.map(async (engine) => [engine, await unavailableReason(engine)] as const)),
  );
  if ([...reasons.values()].every((reason) => reason === undefined)) return plan;
  return {
    servers: plan.servers,
    cells: plan.cells.map((cell) => {
      const reason = reasons.get(cell.engine ?? 'node');
      return reason && !cell.skipped ? { ...cell, skipped: reason } : cell;
    }),
  };
}

/** The running server a cell talks to: a route's shared listener, or its own server. */
/** The servers a run starts: a server whose cells are all skipped is not (openssl for h2 only). */
export function serversToStart(plan: MatrixPlan): MatrixPlan['servers'] {
  const needed = new Set(plan.cells.filter((cell) => !cell.skipped).map(runningServerOf));
  return plan.servers.filter((spec) => needed.has(spec.name));
}

export const runningServerOf = (cell: Pick<CellSpec, 'server' | 'listener'>): string =>
  cell.listener ?? cell.server;

function attemptOf(
  cell: CellSpec,
  servers: ReadonlyMap<string, EngineServer>,
  identities: ReadonlyMap<string, IdentityMaterial>,
) {
  const server = servers.get(runningServerOf(cell));
  const identity = identities.get(cell.identity);
  if (!server || !identity) throw new Error(`cell ${cell.index} names an unknown server or identity`);
  const endpoint = {
    host: server.host,
    port: server.portFor(cell.protocol),
    serverTrust: identity.serverTrust,
  };
  return attemptAt(endpoint, identity, cell.protocol, cell.tls, cell.path);
}

function judge(
  cells: readonly CellSpec[],
  outcomes: readonly (ClientResult | undefined)[],
  viewsByServer: ReadonlyMap<string, readonly ServerView[]>,
): CellResult[] {
  const attributable: AttributableCell[] = cells.map((cell, i) => ({
    index: cell.index,
    server: runningServerOf(cell),
    localPort: outcomes[i]?.localPort,
    startedAt: outcomes[i]?.startedAt,
  }));
  const views = attributeViews(attributable, viewsByServer);
  return cells.map((cell, i) => {
    const outcome = outcomes[i];
    // Our own servers answer every protocol they are started for.
    if (!outcome) return unrunCell(cell);
    const seen = views.get(cell.index) ?? answerViews(cell, outcome);
    return judgedCell(cell, outcome, { answersProtocol: true }, seen);
  });
}

/** An external engine's view of a cell, from what it answered (EngineDriver.viewFromAnswer). */
function answerViews(cell: CellSpec, outcome: ClientResult): ServerView[] {
  const read = cell.engine && driverOf(cell.engine).viewFromAnswer;
  const view = read ? read(outcome.answer, cell.mode) : undefined;
  if (!view) return [];
  return [
    {
      connection: 1,
      remotePort: outcome.localPort ?? 0,
      acceptedAt: outcome.startedAt,
      mode: cell.mode,
      tlsVersion: null,
      alpn: null,
      protocol: cell.protocol,
      presented: false,
      verified: null,
      verifyError: null,
      decision: 'accepted',
      stage: null,
      reason: `${cell.engine} answered`,
      ...view,
    },
  ];
}
