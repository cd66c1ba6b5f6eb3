/**
 * Notable facts drawn from a run's own observations: where rejections were seen, and
 * where protocols or TLS versions disagree. Pure; every sentence is computed from data.
 */
import type { CellResult } from './types.js';
import { isRun } from './verdict.js';

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const listCounts = (counts: Map<string, number>): string =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${n} × ${what}`)
    .join(', ');

export interface ObservationOptions {
  /**
   * The cells could have server views (false for a --target run: nothing inside the target
   * is visible, so missing views are not worth a note). Default true.
   */
  serverViews?: boolean;
}

export function notableObservations(
  cells: readonly CellResult[],
  options: ObservationOptions = {},
): string[] {
  // Cells not run were not observed (reports list their reasons).
  const run = cells.filter(isRun);
  const notes: string[] = [];
  const inconclusive = run.filter((cell) => cell.verdict === 'inconclusive');
  if (inconclusive.length > 0)
    notes.push(
      `${inconclusive.length} cell(s) were inconclusive, which is neither a pass nor a refusal: ${listCounts(countBy(inconclusive, (cell) => `${cell.how} (${cell.why ?? '?'})`))}.`,
    );
  // Only judged cells take part in what follows: an inconclusive one says nothing.
  cells = run.filter((cell) => cell.verdict !== 'inconclusive');
  const how = (cell: CellResult) => cell.how;
  const rejected = cells.filter((cell) => cell.verdict === 'rejected');
  for (const tls of [...new Set(cells.map((cell) => cell.tls))].sort()) {
    const here = rejected.filter((cell) => cell.tls === tls);
    if (here.length > 0) notes.push(`TLS ${tls} rejections: ${listCounts(countBy(here, how))}.`);
  }
  const engines = [...new Set(cells.map((cell) => cell.engine ?? 'node'))];
  if (engines.length > 1) {
    for (const engine of engines) {
      const here = rejected.filter((cell) => (cell.engine ?? 'node') === engine);
      if (here.length > 0) notes.push(`${engine} rejections: ${listCounts(countBy(here, how))}.`);
    }
  }
  const late = rejected.filter((cell) => cell.handshake.kind === 'ok' && cell.refusedBy === 'tls');
  if (late.length > 0) {
    const versions = [...new Set(late.map((cell) => cell.tls))].join(' and ');
    notes.push(
      `${late.length === 1 ? '1 rejection' : `${late.length} rejections`} came after the client had finished its handshake (TLS ${versions}): ` +
        'the server judged the certificate after the client was done, so the client only learns on its first read.',
    );
  }
  const split = new Map<string, Set<string>>();
  for (const cell of cells) {
    // Protocols are compared on one server: two engines, two scenario servers or two routes of
    // one mode may rightly differ (a server that checks no CRL), which is not the protocols'.
    const who = cell.server.replace(/@tls[\d.]+$/, '');
    const key = `${who} × ${cell.identity} over TLS ${cell.tls}`;
    const verdicts = split.get(key) ?? new Set<string>();
    verdicts.add(cell.verdict ?? '');
    split.set(key, verdicts);
  }
  const disagreeing = [...split].filter(([, verdicts]) => verdicts.size > 1).map(([key]) => key);
  if (disagreeing.length > 0) {
    notes.push(
      `Protocols disagree in ${disagreeing.length} case(s), e.g. ${disagreeing.slice(0, 3).join('; ')}.`,
    );
  }
  // External engines (openssl s_server) record no views: their missing views are expected.
  const unseen = cells.filter(
    (cell) =>
      cell.serverViews.length === 0 &&
      cell.handshake.kind !== 'client_error' &&
      (cell.engine ?? 'node') === 'node',
  );
  if (unseen.length > 0 && options.serverViews !== false)
    notes.push(`${unseen.length} cell(s) have no server view attributed to them.`);
  return notes;
}
