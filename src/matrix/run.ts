/**
 * Runs a planned matrix for real: starts the servers, runs every cell's client through a
 * bounded pool, links each cell to what the server saw, and tears everything down —
 * on success, failure and abort alike. This module owns the teardown of a run.
 */

import { setMaxListeners } from 'node:events';
import { runClient } from '../clients/run-client.js';
import type { ClientResult } from '../clients/types.js';
import { Interrupted } from '../errors.js';
import type { IdentityMaterial, PkiMaterial } from '../pki/types.js';
import { type RunningServer, startServer } from '../servers/server.js';
import type { ServerView } from '../servers/types.js';
import { type AttributableCell, attributeViews } from './attribute.js';
import type { MatrixPlan } from './plan.js';
import { runPool } from './pool.js';
import type { CellResult, CellSpec } from './types.js';
import { meetsExpectation, verdictOf } from './verdict.js';

export interface RunOptions {
  pki: PkiMaterial;
  plan: MatrixPlan;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function runMatrix(options: RunOptions): Promise<CellResult[]> {
  const { pki, plan } = options;
  const identities = new Map(pki.identities.map((identity) => [identity.name, identity]));
  const servers = new Map<string, RunningServer>();
  try {
    await Promise.all(
      plan.servers.map(async (spec) => {
        const server = await startServer({ mode: spec.mode, pki, tls: spec.tls, checkCrl: spec.checkCrl });
        servers.set(spec.name, server);
      }),
    );
    if (options.signal) setMaxListeners(options.concurrency + 16, options.signal);
    const outcomes = await runPool(
      plan.cells,
      { concurrency: options.concurrency, signal: options.signal, onDone: options.onProgress },
      (cell) => runCell(cell, servers, identities, options),
    );
    if (options.signal?.aborted) throw new Interrupted('matrix run interrupted');
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

function runCell(
  cell: CellSpec,
  servers: ReadonlyMap<string, RunningServer>,
  identities: ReadonlyMap<string, IdentityMaterial>,
  options: RunOptions,
): Promise<ClientResult> {
  const server = servers.get(cell.server);
  const identity = identities.get(cell.identity);
  if (!server || !identity) throw new Error(`cell ${cell.index} names an unknown server or identity`);
  return runClient({
    protocol: cell.protocol,
    host: server.host,
    port: server.port,
    tls: cell.tls,
    certChain: identity.chain,
    key: identity.key,
    serverTrust: identity.serverTrust,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
}

function judge(
  cells: readonly CellSpec[],
  outcomes: readonly ClientResult[],
  viewsByServer: ReadonlyMap<string, readonly ServerView[]>,
): CellResult[] {
  const attributable: AttributableCell[] = cells.map((cell, i) => ({
    index: cell.index,
    server: cell.server,
    localPort: outcomes[i]!.localPort,
  }));
  const views = attributeViews(attributable, viewsByServer);
  return cells.map((cell, i) => {
    const outcome = outcomes[i]!;
    const verdict = verdictOf(outcome);
    return {
      ...cell,
      verdict,
      pass: meetsExpectation(cell.expected.verdict, verdict),
      handshake: outcome.handshake,
      request: outcome.request,
      serverViews: views.get(cell.index) ?? [],
      durationMs: outcome.endedAt - outcome.startedAt,
    };
  });
}
