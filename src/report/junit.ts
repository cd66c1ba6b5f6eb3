/** `--format junit`: one testsuite per server (mode × TLS version), one testcase per cell. */
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { describeHandshake, describeRequest, describeView, verdictWords } from './describe.js';

const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(cell: CellResult): string[] {
  const name = `${cell.identity} over ${cell.protocol}, TLS ${cell.tls}`;
  const detail = [
    `expected ${cell.expected.verdict}: ${cell.expected.reason}`,
    `observed ${verdictWords(cell)}: ${cell.how}`,
    ...(cell.why ? [`inconclusive because ${cell.why}`] : []),
    `handshake: ${describeHandshake(cell.handshake)}`,
    `request: ${describeRequest(cell.request)}`,
    ...cell.serverViews.map((view) => `server: ${describeView(view)}`),
  ].join('\n');
  const open = `    <testcase classname="mtls-lab.${escapeXml(cell.mode)}" name="${escapeXml(name)}" time="${seconds(cell.durationMs)}"`;
  const notRun = cell.skipped ?? (cell.notServed !== undefined ? `not served: ${cell.notServed}` : undefined);
  if (notRun !== undefined)
    return [`${open}>`, `      <skipped message="${escapeXml(notRun)}"/>`, '    </testcase>'];
  if (cell.pass)
    return [`${open}>`, `      <system-out>${escapeXml(detail)}</system-out>`, '    </testcase>'];
  if (cell.verdict === 'inconclusive') {
    // An error, not a failure: the cell could not be judged at all.
    const message = `inconclusive: ${cell.how} (${cell.why ?? '?'})`;
    return [
      `${open}>`,
      `      <error type="inconclusive" message="${escapeXml(message)}">${escapeXml(detail)}</error>`,
      '    </testcase>',
    ];
  }
  const message = `expected ${cell.expected.verdict}, observed ${cell.verdict ?? '?'}`;
  return [
    `${open}>`,
    `      <failure type="unexpected-verdict" message="${escapeXml(message)}">${escapeXml(detail)}</failure>`,
    '    </testcase>',
  ];
}

const notRun = (summary: MatrixResult['summary']): number => summary.skipped + summary.notServed;

export function renderJunit(result: MatrixResult): string {
  const { summary } = result;
  const servers = [...new Set(result.cells.map((cell) => cell.server))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mtls-lab matrix" tests="${summary.cells}" failures="${summary.failed}"${summary.inconclusive > 0 ? ` errors="${summary.inconclusive}"` : ''}${notRun(summary) > 0 ? ` skipped="${notRun(summary)}"` : ''} time="${seconds(summary.durationMs)}">`,
  ];
  for (const server of servers) {
    const cells = result.cells.filter((cell) => cell.server === server);
    const failures = cells.filter((cell) => cell.pass === false).length;
    const errors = cells.filter((cell) => cell.verdict === 'inconclusive').length;
    const skipped = cells.filter((cell) => cell.verdict === null).length;
    const time = cells.reduce((sum, cell) => sum + cell.durationMs, 0);
    lines.push(
      `  <testsuite name="${escapeXml(server)}" tests="${cells.length}" failures="${failures}"${errors > 0 ? ` errors="${errors}"` : ''}${skipped > 0 ? ` skipped="${skipped}"` : ''} time="${seconds(time)}">`,
      ...cells.flatMap(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
