/**
 * The default human report: identities as rows, modes as columns, each grid cell
 * summarising all its protocols and TLS versions; then only the unexpected cells, the
 * run's notable observations and a one-line summary. Symbols carry the meaning, colour
 * only helps, so it still reads under NO_COLOR or in a pipe.
 */
import type { ChalkInstance } from 'chalk';
import type { CellResult, MatrixResult } from '../matrix/types.js';
import type { Mode } from '../modes.js';
import { describeHandshake, describeRequest, describeView, plural } from './describe.js';

const SHORT_MODE: Record<Mode, string> = {
  no_client_certs: 'no_client_certs',
  request_client_cert: 'request',
  require_any_client_cert: 'require_any',
  verify_client_cert_if_given: 'verify_if_given',
  require_and_verify_client_cert: 'require_verify',
};

export const cellTitle = (cell: CellResult): string =>
  `${cell.mode} × ${cell.identity} × ${cell.protocol} × TLS ${cell.tls}`;

function gridCell(cells: readonly CellResult[], c: ChalkInstance): { text: string; width: number } {
  if (cells.length === 0) return { text: c.dim('·'), width: 1 };
  const failed = cells.filter((cell) => !cell.pass).length;
  if (failed > 0) {
    const text = `✗ ${failed}/${cells.length} unexpected`;
    return { text: c.red.bold(text), width: text.length };
  }
  const accepted = cells.filter((cell) => cell.verdict === 'accepted').length;
  const text =
    accepted === cells.length
      ? '✓ accepted'
      : accepted === 0
        ? '✓ rejected'
        : `✓ ${accepted}/${cells.length} accepted`;
  const colour = accepted === cells.length ? c.green : accepted === 0 ? c.yellow : c.cyan;
  return { text: colour(text), width: text.length };
}

export function renderGrid(result: MatrixResult, c: ChalkInstance): string[] {
  const { modes, identities } = result.summary;
  const idWidth = Math.max('identity'.length, ...identities.map((name) => name.length)) + 2;
  const colWidth = Math.max(18, ...modes.map((mode) => SHORT_MODE[mode].length + 2));
  const pad = (text: string, width: number, target: number) => text + ' '.repeat(Math.max(1, target - width));
  const lines = [
    c.bold(
      (
        'identity'.padEnd(idWidth) + modes.map((mode) => SHORT_MODE[mode].padEnd(colWidth)).join('')
      ).trimEnd(),
    ),
  ];
  for (const identity of identities) {
    let line = identity.padEnd(idWidth);
    for (const mode of modes) {
      const { text, width } = gridCell(
        result.cells.filter((cell) => cell.identity === identity && cell.mode === mode),
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
  const views = remote
    ? ['not visible (a --target server)']
    : cell.serverViews.length === 0
      ? ['no connection recorded']
      : cell.serverViews.map(describeView);
  return [
    `${indent}expected ${cell.expected.verdict} (${cell.expected.reason}), observed ${c.bold(cell.verdict)}`,
    `${indent}client: handshake ${describeHandshake(cell.handshake)}; request ${describeRequest(cell.request)}`,
    ...views.map((view) => `${indent}server: ${view}`),
  ];
}

function legend(result: MatrixResult, c: ChalkInstance): string {
  const { protocols, tls, modes } = result.summary;
  const perCell = `each grid cell sums up ${plural(protocols.length, 'protocol')} × ${plural(tls.length, 'TLS version')}`;
  const names = modes
    .filter((mode) => SHORT_MODE[mode] !== mode)
    .map((mode) => `${SHORT_MODE[mode]} = ${mode}`)
    .join(', ');
  return c.dim(`✓ as the mode promises, ✗ not; ${perCell}.${names ? ` ${names}.` : ''}`);
}

export function renderSummaryLine(result: MatrixResult, c: ChalkInstance): string {
  const { summary } = result;
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const verdict =
    summary.failed === 0
      ? c.green.bold(`all ${summary.cells} cells as expected`)
      : c.red.bold(`${summary.failed} of ${summary.cells} cells unexpected`);
  return `${verdict} ${c.dim(`(${summary.accepted} accepted, ${summary.rejected} rejected, ${seconds} s)`)}`;
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
  const failed = result.cells.filter((cell) => !cell.pass);
  if (failed.length > 0) {
    lines.push('', c.red.bold(`Unexpected cells (${failed.length}):`));
    for (const cell of failed) {
      lines.push(`  ${c.red('✗')} ${cellTitle(cell)}`, ...renderCellDetail(cell, c, result.target !== null));
    }
  }
  if (result.observations.length > 0) {
    lines.push('', c.bold('Observations:'), ...result.observations.map((note) => `  • ${note}`));
  }
  lines.push('', renderSummaryLine(result, c));
  return `${lines.join('\n')}\n`;
}
