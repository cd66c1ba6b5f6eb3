/** Summary figures of a run. Pure. */
import { MODES } from '../modes.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import type { CellResult, MatrixSummary } from './types.js';
import { isRun } from './verdict.js';

/** The values present, in the canonical order when there is one (else first seen). */
function present<T>(values: readonly T[], order?: readonly T[]): T[] {
  const seen = new Set(values);
  return order ? order.filter((value) => seen.has(value)) : [...seen];
}

export function summarise(cells: readonly CellResult[], durationMs: number): MatrixSummary {
  const ran = cells.filter(isRun);
  const count = (predicate: (cell: CellResult) => boolean) => cells.filter(predicate).length;
  return {
    cells: cells.length,
    passed: count((cell) => cell.pass === true),
    failed: count((cell) => cell.pass === false),
    inconclusive: count((cell) => cell.verdict === 'inconclusive'),
    skipped: count((cell) => cell.skipped !== undefined),
    notServed: count((cell) => cell.skipped === undefined && cell.notServed !== undefined),
    accepted: ran.filter((cell) => cell.verdict === 'accepted').length,
    rejected: ran.filter((cell) => cell.verdict === 'rejected').length,
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

/**
 * Why a run is not green, in one line; null when it is. Green means something was judged and
 * every judged cell met its expectation: an inconclusive cell, or a run that judged nothing
 * (no cells, all skipped, all not served), is never green.
 */
export function notGreen(summary: MatrixSummary, runProblems: readonly string[] = []): string | null {
  const judged = summary.passed + summary.failed;
  const problems: string[] = runProblems.map((problem) => problem.replace(/\.$/, ''));
  if (summary.failed > 0)
    problems.push(`${summary.failed} of ${judged} judged cells did not meet their expectation`);
  if (summary.inconclusive > 0)
    problems.push(
      `${summary.inconclusive} cell${summary.inconclusive === 1 ? ' was' : 's were'} inconclusive`,
    );
  if (judged === 0) {
    const why =
      summary.cells === 0
        ? 'there were no cells'
        : summary.inconclusive === summary.cells
          ? 'every cell was inconclusive'
          : summary.skipped === summary.cells
            ? 'every cell was skipped'
            : runProblems.length > 0
              ? 'no cell could be run'
              : summary.notServed === summary.cells
                ? 'the target serves none of the cells'
                : 'no cell was judged';
    problems.push(`nothing was judged: ${why}`);
  }
  return problems.length > 0 ? problems.join('; ') : null;
}
