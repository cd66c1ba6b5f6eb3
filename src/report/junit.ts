/**
 * `--format junit`: one testsuite per server (per engine when engines run side by side, per
 * route of a per-route server, per target), one testcase per cell. A testcase's classname is
 * its suite and its name says identity, protocol and TLS version, so (classname, name) pairs
 * are unique in a run. Times add up: a suite's time is the sum of its cases', and the run's the
 * sum of its suites' (cells run concurrently, so the wall time is a property, not the total).
 */
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { describeHandshake, describeRequest, describeView, verdictWords } from './describe.js';

const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** Whole milliseconds, written as seconds: sums of rounded values then add up exactly. */
const ms = (value: number): number => Math.round(value);
const seconds = (whole: number): string => (whole / 1000).toFixed(3);

/** The suite a cell belongs to: its server without the TLS version, and a non-default engine. */
export function suiteOf(cell: Pick<CellResult, 'server' | 'engine'>): string {
  const server = cell.server.replace(/@tls[\d.]+$/, '');
  return cell.engine && cell.engine !== 'node' && !server.includes(cell.engine)
    ? `${server} (${cell.engine})`
    : server;
}

function testcase(cell: CellResult, suite: string): string[] {
  const name = `${cell.identity} over ${cell.protocol}, TLS ${cell.tls}`;
  const detail = [
    `mode ${cell.mode}`,
    `expected ${cell.expected.verdict}: ${cell.expected.reason}`,
    `observed ${verdictWords(cell)}: ${cell.how}`,
    ...(cell.why ? [`inconclusive because ${cell.why}`] : []),
    `handshake: ${describeHandshake(cell.handshake)}`,
    `request: ${describeRequest(cell.request)}`,
    ...cell.serverViews.map((view) => `server: ${describeView(view)}`),
  ].join('\n');
  const open = `    <testcase classname="mtls-lab.${escapeXml(suite)}" name="${escapeXml(name)}" time="${seconds(ms(cell.durationMs))}"`;
  const notRun = cell.skipped ?? (cell.notServed !== undefined ? `not served: ${cell.notServed}` : undefined);
  if (notRun !== undefined)
    // The reason as text, not a `message` attribute: the published JUnit schema allows none.
    return [`${open}>`, `      <skipped>${escapeXml(notRun)}</skipped>`, '    </testcase>'];
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

/** What a CI system shows beside the suite: where the PKI came from, the scenario or target, the engine. */
function properties(result: MatrixResult, cells: readonly CellResult[]): string[] {
  const engines = [...new Set(cells.map((cell) => cell.engine ?? 'node'))];
  const entries: [string, string][] = [
    ['pki', result.pki.dir ?? `generated (${result.pki.keyType})`],
    ...(result.scenario ? ([['scenario', result.scenario]] as [string, string][]) : []),
    ...(result.target ? ([['target', result.target]] as [string, string][]) : []),
    ['engine', result.target ? 'target' : engines.join(', ')],
    ['modes', [...new Set(cells.map((cell) => cell.mode))].join(', ')],
  ];
  return [
    '    <properties>',
    ...entries.map(
      ([name, value]) => `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`,
    ),
    '    </properties>',
  ];
}

export function renderJunit(result: MatrixResult): string {
  const { summary } = result;
  const suites = new Map<string, CellResult[]>();
  for (const cell of result.cells) {
    const suite = suiteOf(cell);
    suites.set(suite, [...(suites.get(suite) ?? []), cell]);
  }
  const body: string[] = [];
  let total = 0;
  for (const [suite, cells] of suites) {
    const failures = cells.filter((cell) => cell.pass === false).length;
    const errors = cells.filter((cell) => cell.verdict === 'inconclusive').length;
    const skipped = cells.filter((cell) => cell.verdict === null).length;
    const time = cells.reduce((sum, cell) => sum + ms(cell.durationMs), 0);
    total += time;
    body.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${cells.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`,
      ...properties(result, cells),
      ...cells.flatMap((cell) => testcase(cell, suite)),
      '  </testsuite>',
    );
  }
  // The JUnit schema Jenkins publishes has no `skipped` on <testsuites>: each suite carries it.
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mtls-lab matrix" tests="${summary.cells}" failures="${summary.failed}" errors="${summary.inconclusive}" time="${seconds(total)}">`,
    ...body,
    '</testsuites>',
  ].join('\n')}\n`;
}
