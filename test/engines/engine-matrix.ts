/**
 * One engine judged through the real matrix: every mode it expresses × the given identities,
 * protocols and TLS versions, each cell against the oracle plus the engine's stated
 * deviations. Then: no process of the run left (by PID, or naming its folders), no folder left; and the deviations
 * are load-bearing (the same observations judged without them fail), so none is stated
 * that the engine does not show.
 */
import { expect } from 'vitest';
import { driverOf, type Engine } from '../../src/engines/registry.js';
import { planMatrix } from '../../src/matrix/plan.js';
import { runMatrix } from '../../src/matrix/run.js';
import type { CellResult } from '../../src/matrix/types.js';
import { meetsCellExpectation } from '../../src/matrix/verdict.js';
import { type Mode, MODES } from '../../src/modes.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import type { Protocol, TlsVersion } from '../../src/servers/types.js';
import { leftovers, recordStarts } from '../helpers/engine-runs.js';

export interface EngineRun {
  modes?: readonly Mode[];
  /** Servers check CRLs; default true. */
  checkCrl?: boolean;
  identities?: readonly string[];
  protocols: readonly Protocol[];
  tls?: readonly TlsVersion[];
  /** false: this run shows none of the engine's deviations. */
  deviates?: boolean;
}

const describeCell = (cell: CellResult) =>
  `${cell.mode} × ${cell.identity} × ${cell.protocol} × TLS ${cell.tls}: expected ${cell.expected.verdict}${cell.expected.refusedBy ? ` by ${cell.expected.refusedBy}` : ''}, observed ${cell.verdict}: ${cell.how}${cell.why ? ` (${cell.why})` : ''}`;

export async function judgeEngine(engine: Engine, pki: PkiMaterial, run: EngineRun): Promise<CellResult[]> {
  const identities = pki.identities.filter((identity) => run.identities?.includes(identity.name) ?? true);
  const input = {
    modes: run.modes ?? MODES,
    identities,
    protocols: run.protocols,
    tls: run.tls ?? (['1.2', '1.3'] as const),
    checkCrl: run.checkCrl ?? true,
  };
  const plan = planMatrix({ ...input, engines: [engine] });
  // Every server the driver starts, with its PIDs and folders: also those of a run so short
  // that its servers are gone before anyone could look for them.
  const started = recordStarts(driverOf(engine));
  let cells: CellResult[];
  try {
    cells = await runMatrix({ pki, plan, concurrency: 16, timeoutMs: 8000 });
  } finally {
    started.restore();
  }
  expect(started.dirs().length, 'engine folders of the run').toBeGreaterThan(0);
  expect(started.pids().length, 'engine processes of the run').toBeGreaterThan(0);
  expect(leftovers(started.dirs(), started.pids()), 'left after the run').toEqual({
    processes: [],
    dirs: [],
  });

  const run_ = cells.filter((cell) => cell.skipped === undefined);
  expect(run_.length).toBeGreaterThan(0);
  const wrong = run_.filter((cell) => cell.pass !== true);
  expect(wrong.map(describeCell), `${engine}: cells that did not meet their expectation`).toEqual([]);

  // Every stated deviation is needed: judged as the plain mode promises, some cells fail.
  const driver = driverOf(engine);
  if (driver.deviations.length > 0 && run.deviates !== false) {
    const plain = planMatrix({ ...input, engines: ['node'] });
    const promise = new Map(
      plain.cells.map((cell) => [
        `${cell.mode}|${cell.identity}|${cell.protocol}|${cell.tls}`,
        cell.expected,
      ]),
    );
    const departures = run_.filter((cell) => {
      const expected = promise.get(`${cell.mode}|${cell.identity}|${cell.protocol}|${cell.tls}`)!;
      const judgement = {
        verdict: cell.verdict!,
        how: cell.how,
        ...(cell.refusedBy ? { by: cell.refusedBy } : {}),
      };
      return (
        meetsCellExpectation(
          {
            ...expected,
            refusedBy:
              expected.verdict === 'rejected'
                ? cell.identity === 'wrong-server-trust'
                  ? 'client'
                  : 'tls'
                : undefined,
          },
          judgement,
        ) === false
      );
    });
    expect(departures.length, `${engine}: its deviations show in the run`).toBeGreaterThan(0);
  }
  return cells;
}

/** How each rejection showed itself, per mode × identity kind: for the behaviour table. */
export function refusals(cells: readonly CellResult[]): Record<string, string> {
  const table: Record<string, Set<string>> = {};
  for (const cell of cells.filter((c) => c.verdict === 'rejected'))
    (table[`${cell.mode} × ${cell.identity} × TLS ${cell.tls}`] ??= new Set()).add(cell.how);
  return Object.fromEntries(Object.entries(table).map(([key, hows]) => [key, [...hows].join(' | ')]));
}
