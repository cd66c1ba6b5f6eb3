/** `--format markdown`: for a CI job summary (e.g. $GITHUB_STEP_SUMMARY). */
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { describeHandshake, describeRequest, describeView } from './describe.js';
import { gridColumns, inColumn, skipReasons } from './table.js';

const escapeCell = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

function gridText(all: readonly CellResult[]): string {
  if (all.length === 0) return '·';
  const cells = all.filter((cell) => cell.skipped === undefined);
  if (cells.length === 0) return '– skipped';
  const failed = cells.filter((cell) => !cell.pass).length;
  if (failed > 0) return `❌ ${failed}/${cells.length} unexpected`;
  const accepted = cells.filter((cell) => cell.verdict === 'accepted').length;
  if (accepted === cells.length) return '✅ accepted';
  if (accepted === 0) return '✅ rejected';
  return `✅ ${accepted}/${cells.length} accepted`;
}

export function renderMarkdown(result: MatrixResult): string {
  const { summary } = result;
  const ran = summary.cells - summary.skipped;
  const columns = gridColumns(result);
  const headline =
    summary.failed === 0
      ? `**✅ all ${ran} cells as expected**`
      : `**❌ ${summary.failed} of ${ran} cells unexpected**`;
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} skipped` : '';
  const lines = [
    '## mtls-lab matrix',
    '',
    `${headline} (${summary.accepted} accepted, ${summary.rejected} rejected${skipped}; ` +
      `${summary.protocols.join(', ')} × TLS ${summary.tls.join(', ')}; ${(summary.durationMs / 1000).toFixed(1)} s)`,
    '',
    `| identity | ${columns.map((column) => (column.route ? `${column.route} (\`${column.mode}\`)` : `\`${column.mode}\`${column.engine ? ` (${column.engine})` : ''}`)).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const identity of summary.identities) {
    const row = columns.map((column) =>
      gridText(result.cells.filter((cell) => cell.identity === identity && inColumn(cell, column))),
    );
    lines.push(`| ${identity} | ${row.join(' | ')} |`);
  }
  const failed = result.cells.filter((cell) => !cell.pass);
  if (failed.length > 0) {
    lines.push(
      '',
      '### Unexpected cells',
      '',
      '| mode | identity | protocol | TLS | expected | observed | handshake | request | server saw |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const cell of failed) {
      const seen = result.target ? 'not visible' : cell.serverViews.map(describeView).join('; ') || 'nothing';
      const row = [
        cell.mode,
        cell.identity,
        cell.protocol,
        cell.tls,
        `${cell.expected.verdict} (${cell.expected.reason})`,
        cell.verdict,
        describeHandshake(cell.handshake),
        describeRequest(cell.request),
        seen,
      ];
      lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
    }
  }
  const reasons = skipReasons(result.cells);
  if (reasons.length > 0) lines.push('', '### Skipped cells', '', ...reasons.map((line) => `- ${line}`));
  if (result.observations.length > 0) {
    lines.push('', '### Observations', '', ...result.observations.map((note) => `- ${note}`));
  }
  return `${lines.join('\n')}\n`;
}
