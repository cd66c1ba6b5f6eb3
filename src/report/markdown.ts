/** `--format markdown`: for a CI job summary (e.g. $GITHUB_STEP_SUMMARY). */
import type { CellResult, MatrixResult } from '../matrix/types.js';
import {
  describeHandshake,
  describeRequest,
  describeView,
  type GridMarkKind,
  gridMark,
  verdictWords,
} from './describe.js';
import { notGreen } from '../matrix/summary.js';
import { entryWords, type SideBySideEntry, sideBySide } from './side-by-side.js';
import { gridColumns, inColumn, skipReasons } from './table.js';

const escapeCell = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

const GRID_EMOJI: Record<GridMarkKind, string> = {
  empty: '',
  unrun: '–',
  failed: '❌',
  inconclusive: '❔',
  accepted: '✅',
  rejected: '✅',
  mixed: '✅',
};

function gridText(all: readonly CellResult[]): string {
  const mark = gridMark(all);
  return GRID_EMOJI[mark.kind] ? `${GRID_EMOJI[mark.kind]} ${mark.text}` : mark.text;
}

function sideBySideCell(entry: SideBySideEntry | null): string {
  if (entry === null) return '·';
  const mark = entry.notRun !== null ? '–' : entry.pass === true ? '✅' : entry.pass === false ? '❌' : '❔';
  return `${mark} ${escapeCell(entryWords(entry))}`;
}

/** Per mode, identities × engines: how each engine answered (a run of two or more engines). */
function sideBySideMarkdown(result: MatrixResult): string[] {
  const views = sideBySide(result);
  if (views.length === 0) return [];
  const lines = ['', '### Engines side by side', ''];
  lines.push(
    'How each engine answered each identity: the TLS alert and where it arrived, a close without alert, ' +
      "or the application's refusal; ✅ as expected (the mode's promise plus the engine's stated deviations).",
  );
  for (const view of views) {
    lines.push(
      '',
      `#### \`${view.mode}\``,
      '',
      `| identity | ${view.columns.map((column) => escapeCell(column.key)).join(' | ')} |`,
      `|---|${view.columns.map(() => '---').join('|')}|`,
      ...view.rows.map(
        (row) => `| ${escapeCell(row.identity)} | ${row.entries.map(sideBySideCell).join(' | ')} |`,
      ),
    );
  }
  return lines;
}

export function renderMarkdown(result: MatrixResult): string {
  const { summary } = result;
  const judged = summary.passed + summary.failed;
  const columns = gridColumns(result);
  const problem = notGreen(summary, result.problems);
  const headline = problem === null ? `**✅ all ${judged} cells as expected**` : `**❌ ${problem}**`;
  const skipped = [
    summary.skipped > 0 ? `, ${summary.skipped} skipped` : '',
    summary.notServed > 0 ? `, ${summary.notServed} not served` : '',
  ].join('');
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
  lines.push(...sideBySideMarkdown(result));
  const failed = result.cells.filter((cell) => cell.pass === false || cell.verdict === 'inconclusive');
  if (failed.length > 0) {
    lines.push(
      '',
      '### Unexpected and inconclusive cells',
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
        `${verdictWords(cell)}: ${cell.how}${cell.why ? ` (${cell.why})` : ''}`,
        describeHandshake(cell.handshake),
        describeRequest(cell.request),
        seen,
      ];
      lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
    }
  }
  const reasons = skipReasons(result.cells);
  if (reasons.length > 0) lines.push('', '### Cells not run', '', ...reasons.map((line) => `- ${line}`));
  if (result.observations.length > 0) {
    lines.push('', '### Observations', '', ...result.observations.map((note) => `- ${note}`));
  }
  return `${lines.join('\n')}\n`;
}
