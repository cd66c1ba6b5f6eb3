/** Summary figures of a run. Pure. */
import { MODES } from '../modes.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import type { CellResult, MatrixSummary } from './types.js';

/** The values present, in the canonical order when there is one (else first seen). */
function present<T>(values: readonly T[], order?: readonly T[]): T[] {
  const seen = new Set(values);
  return order ? order.filter((value) => seen.has(value)) : [...seen];
}

export function summarise(cells: readonly CellResult[], durationMs: number): MatrixSummary {
  const ran = cells.filter((cell) => cell.skipped === undefined);
  const passed = ran.filter((cell) => cell.pass).length;
  const accepted = ran.filter((cell) => cell.verdict === 'accepted').length;
  return {
    cells: cells.length,
    passed,
    failed: ran.length - passed,
    skipped: cells.length - ran.length,
    accepted,
    rejected: ran.length - accepted,
    modes: present(
      cells.map((cell) => cell.mode),
      MODES,
    ),
    identities: present(cells.map((cell) => cell.identity)),
    protocols: present(
      cells.map((cell) => cell.protocol),
      PROTOCOLS,
    ),
    tls: present(
      cells.map((cell) => cell.tls),
      TLS_VERSIONS,
    ),
    durationMs,
  };
}
