/** `--format junit`: one testsuite per server (mode × TLS version), one testcase per cell. */
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { describeHandshake, describeRequest, describeView } from './describe.js';

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
    `observed ${cell.verdict}`,
    `handshake: ${describeHandshake(cell.handshake)}`,
    `request: ${describeRequest(cell.request)}`,
    ...cell.serverViews.map((view) => `server: ${describeView(view)}`),
  ].join('\n');
  const open = `    <testcase classname="mtls-lab.${escapeXml(cell.mode)}" name="${escapeXml(name)}" time="${seconds(cell.durationMs)}"`;
  if (cell.skipped !== undefined)
    return [`${open}>`, `      <skipped message="${escapeXml(cell.skipped)}"/>`, '    </testcase>'];
  if (cell.pass)
    return [`${open}>`, `      <system-out>${escapeXml(detail)}</system-out>`, '    </testcase>'];
  const message = `expected ${cell.expected.verdict}, observed ${cell.verdict}`;
  return [
    `${open}>`,
    `      <failure type="unexpected-verdict" message="${escapeXml(message)}">${escapeXml(detail)}</failure>`,
    '    </testcase>',
  ];
}

export function renderJunit(result: MatrixResult): string {
  const { summary } = result;
  const servers = [...new Set(result.cells.map((cell) => cell.server))];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mtls-lab matrix" tests="${summary.cells}" failures="${summary.failed}"${summary.skipped > 0 ? ` skipped="${summary.skipped}"` : ''} time="${seconds(summary.durationMs)}">`,
  ];
  for (const server of servers) {
    const cells = result.cells.filter((cell) => cell.server === server);
    const failures = cells.filter((cell) => !cell.pass).length;
    const skipped = cells.filter((cell) => cell.skipped !== undefined).length;
    const time = cells.reduce((sum, cell) => sum + cell.durationMs, 0);
    lines.push(
      `  <testsuite name="${escapeXml(server)}" tests="${cells.length}" failures="${failures}"${skipped > 0 ? ` skipped="${skipped}"` : ''} time="${seconds(time)}">`,
      ...cells.flatMap(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
