/**
 * The default human report: identities as rows, modes as columns, each grid cell
 * summarising all its protocols and TLS versions; then only the unexpected cells, the
 * run's notable observations and a one-line summary. Symbols carry the meaning, colour
 * only helps, so it still reads under NO_COLOR or in a pipe.
 */
import type { ChalkInstance } from 'chalk';
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { notGreen } from '../matrix/summary.js';
import type { Mode } from '../modes.js';
import {
  describeHandshake,
  describeRequest,
  describeView,
  type GridMarkKind,
  gridMark,
  plural,
  verdictWords,
} from './describe.js';
import { renderSideBySide } from './side-by-side-table.js';

const SHORT_MODE: Record<Mode, string> = {
  no_client_certs: 'no_client_certs',
  request_client_cert: 'request',
  require_any_client_cert: 'require_any',
  verify_client_cert_if_given: 'verify_if_given',
  require_and_verify_client_cert: 'require_verify',
};

export const cellTitle = (cell: CellResult): string =>
  `${cell.mode} × ${cell.identity} × ${cell.protocol} × TLS ${cell.tls}`;

const GRID_SYMBOL: Record<GridMarkKind, string> = {
  empty: '',
  unrun: '–',
  failed: '✗',
  inconclusive: '?',
  accepted: '✓',
  rejected: '✓',
  mixed: '✓',
};

function gridCell(all: readonly CellResult[], c: ChalkInstance): { text: string; width: number } {
  const mark = gridMark(all);
  const text = GRID_SYMBOL[mark.kind] ? `${GRID_SYMBOL[mark.kind]} ${mark.text}` : mark.text;
  const colour: Record<GridMarkKind, (text: string) => string> = {
    empty: c.dim,
    unrun: c.dim,
    failed: c.red.bold,
    inconclusive: c.magenta.bold,
    accepted: c.green,
    rejected: c.yellow,
    mixed: c.cyan,
  };
  return { text: colour[mark.kind](text), width: text.length };
}

/** A grid column: a mode, and the engine when the run has servers of an external engine. */
export interface GridColumn {
  mode: Mode;
  engine?: CellResult['engine'];
  /** A route of a per-route listener (server/route): its cells have the route's own CA pool. */
  route?: string;
}

/** server/route of a routed cell, without the TLS version. */
const routeOf = (cell: CellResult): string | undefined =>
  cell.listener ? cell.server.replace(/@tls[\d.]+$/, '') : undefined;

/** One column per mode; split per engine when engines are compared side by side. */
export function gridColumns(result: MatrixResult): GridColumn[] {
  const { modes } = result.summary;
  // Routes share modes but not CA pools, so a run with routes gets one column per route.
  if (result.cells.some((cell) => cell.listener)) {
    const columns = new Map<string, GridColumn>();
    for (const cell of result.cells) {
      const route = routeOf(cell);
      const key = route ?? `mode:${cell.mode}`;
      if (!columns.has(key)) columns.set(key, route ? { mode: cell.mode, route } : { mode: cell.mode });
    }
    return [...columns.values()];
  }
  if (result.cells.every((cell) => cell.engine === undefined)) return modes.map((mode) => ({ mode }));
  return modes.flatMap((mode) =>
    [...new Set(result.cells.filter((cell) => cell.mode === mode).map((cell) => cell.engine))].map(
      (engine) => ({ mode, engine: engine ?? 'node' }),
    ),
  );
}

export const inColumn = (cell: CellResult, column: GridColumn): boolean =>
  routeOf(cell) === column.route &&
  cell.mode === column.mode &&
  (column.engine === undefined || (cell.engine ?? 'node') === column.engine);

const columnTitle = (column: GridColumn, short = true): string =>
  column.route ??
  `${short ? SHORT_MODE[column.mode] : column.mode}${column.engine ? ` (${column.engine})` : ''}`;

export function renderGrid(result: MatrixResult, c: ChalkInstance): string[] {
  const { identities } = result.summary;
  const columns = gridColumns(result);
  const idWidth = Math.max('identity'.length, ...identities.map((name) => name.length)) + 2;
  const colWidth = Math.max(18, ...columns.map((column) => columnTitle(column).length + 2));
  const pad = (text: string, width: number, target: number) => text + ' '.repeat(Math.max(1, target - width));
  const lines = [
    c.bold(
      (
        'identity'.padEnd(idWidth) + columns.map((column) => columnTitle(column).padEnd(colWidth)).join('')
      ).trimEnd(),
    ),
  ];
  for (const identity of identities) {
    let line = identity.padEnd(idWidth);
    for (const column of columns) {
      const { text, width } = gridCell(
        result.cells.filter((cell) => cell.identity === identity && inColumn(cell, column)),
        c,
      );
      line += pad(text, width, colWidth);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export function renderCellDetail(
  cell: CellResult,
  c: ChalkInstance,
  remote: boolean,
  indent = '    ',
): string[] {
  if (cell.skipped !== undefined) return [`${indent}skipped: ${cell.skipped}`];
  if (cell.notServed !== undefined) return [`${indent}not served: ${cell.notServed}`];
  const views = remote
    ? ['not visible (a --target server)']
    : cell.engine === 'openssl'
      ? ['not recorded (openssl s_server keeps no per-connection view)']
      : cell.serverViews.length === 0 && cell.engine !== undefined && cell.engine !== 'node'
        ? [`not recorded (${cell.engine} reports its view only in an answer)`]
        : cell.serverViews.length === 0
          ? ['no connection recorded']
          : cell.serverViews.map(describeView);
  return [
    `${indent}expected ${cell.expected.verdict} (${cell.expected.reason}), observed ${c.bold(verdictWords(cell))}: ${cell.how}`,
    ...(cell.why ? [`${indent}inconclusive because ${cell.why}`] : []),
    `${indent}client: handshake ${describeHandshake(cell.handshake)}; request ${describeRequest(cell.request)}`,
    ...views.map((view) => `${indent}server: ${view}`),
  ];
}

function legend(result: MatrixResult, c: ChalkInstance): string {
  const { protocols, tls } = result.summary;
  const perCell = `each grid cell sums up ${plural(protocols.length, 'protocol')} × ${plural(tls.length, 'TLS version')}`;
  const columns = gridColumns(result);
  // Only the columns titled with an abbreviated mode need their full name spelled out.
  const modes = [...new Set(columns.filter((column) => !column.route).map((column) => column.mode))];
  const names = [
    ...modes.filter((mode) => SHORT_MODE[mode] !== mode).map((mode) => `${SHORT_MODE[mode]} = ${mode}`),
    ...(columns.some((column) => column.route)
      ? ['route columns apply their own policy and CA pool (see the scenario)']
      : []),
  ].join(', ');
  const { summary } = result;
  const marks = [
    '✓ as the mode promises',
    '✗ not',
    ...(summary.inconclusive > 0 ? ['? inconclusive (proves nothing)'] : []),
    ...(summary.skipped + summary.notServed > 0 ? ['– not run'] : []),
  ].join(', ');
  return c.dim(`${marks}; ${perCell}.${names ? ` ${names}.` : ''}`);
}

export function renderSummaryLine(result: MatrixResult, c: ChalkInstance): string {
  const { summary } = result;
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const judged = summary.passed + summary.failed;
  const problem = notGreen(summary, result.problems);
  const verdict = problem === null ? c.green.bold(`all ${judged} cells as expected`) : c.red.bold(problem);
  const extra = [
    summary.inconclusive > 0 && problem === null ? `${summary.inconclusive} inconclusive` : '',
    summary.skipped > 0 ? `${summary.skipped} skipped` : '',
    summary.notServed > 0 ? `${summary.notServed} not served` : '',
  ]
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join('');
  return `${verdict} ${c.dim(`(${summary.accepted} accepted, ${summary.rejected} rejected${extra}, ${seconds} s)`)}`;
}

function title(result: MatrixResult): string {
  if (result.scenario) return `mtls-lab matrix ${result.scenario}`;
  if (result.target) return `mtls-lab matrix --target ${result.target}`;
  return 'mtls-lab matrix';
}

export function renderTable(result: MatrixResult, c: ChalkInstance): string {
  const { summary } = result;
  const lines = [
    c.bold(
      `${title(result)}: ${plural(summary.modes.length, 'mode')} × ${plural(summary.identities.length, 'identity', 'identities')} × ${summary.protocols.join(', ')} × TLS ${summary.tls.join(', ')}`,
    ),
    '',
    ...renderGrid(result, c),
    legend(result, c),
  ];
  const engines = renderSideBySide(result, c);
  if (engines.length > 0) lines.push('', ...engines);
  const failed = result.cells.filter((cell) => cell.pass === false);
  if (failed.length > 0) {
    lines.push('', c.red.bold(`Unexpected cells (${failed.length}):`));
    for (const cell of failed) {
      lines.push(`  ${c.red('✗')} ${cellTitle(cell)}`, ...renderCellDetail(cell, c, result.target !== null));
    }
  }
  const inconclusive = result.cells.filter((cell) => cell.verdict === 'inconclusive');
  if (inconclusive.length > 0) {
    lines.push('', c.magenta.bold(`Inconclusive cells (${inconclusive.length}):`));
    for (const cell of inconclusive) {
      lines.push(
        `  ${c.magenta('?')} ${cellTitle(cell)}`,
        ...renderCellDetail(cell, c, result.target !== null),
      );
    }
  }
  const reasons = skipReasons(result.cells);
  if (reasons.length > 0) {
    lines.push(
      '',
      c.bold(`Cells not run (${summary.skipped + summary.notServed}):`),
      ...reasons.map((line) => `  – ${line}`),
    );
  }
  if (result.observations.length > 0) {
    lines.push('', c.bold('Observations:'), ...result.observations.map((note) => `  • ${note}`));
  }
  lines.push('', renderSummaryLine(result, c));
  return `${lines.join('\n')}\n`;
}

/** "12 cells: openssl s_server speaks no HTTP/2 ...", one line per distinct reason. */
export function skipReasons(cells: readonly CellResult[]): string[] {
  const counts = new Map<string, number>();
  for (const cell of cells) {
    const reason =
      cell.skipped !== undefined
        ? `skipped: ${cell.skipped}`
        : cell.notServed !== undefined
          ? `not served: ${cell.notServed}`
          : undefined;
    if (reason !== undefined) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${plural(n, 'cell')}: ${reason}`);
}
