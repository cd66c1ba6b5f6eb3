/**
 * The report's head: what ran (tool version, when, PKI, servers or target), and whether the
 * run is green, with the same reasoning and summary line as the table report.
 */
import type { MatrixResult } from '../../matrix/types.js';
import { notGreen } from '../../matrix/summary.js';
import { plural } from '../describe.js';
import { type HtmlValue, html, type SafeHtml } from './escape.js';
import type { ServerGroup } from './servers.js';

/** Facts about the run that are not in its result: given by the caller, so rendering stays pure. */
export interface HtmlReportContext {
  /** mtls-lab's version. */
  toolVersion?: string;
  /** When the report was made. */
  generatedAt?: Date;
}

export function reportTitle(result: MatrixResult): string {
  if (result.scenario) return `mtls-lab matrix ${result.scenario}`;
  if (result.target) return `mtls-lab matrix --target ${result.target}`;
  return 'mtls-lab matrix';
}

function pkiWords(result: MatrixResult): string {
  const { pki } = result;
  if (pki.generated) return `fresh, made for this run (${pki.keyType})`;
  return `${pki.dir ?? 'given'} (${pki.keyType})`;
}

const utc = (when: Date): string =>
  when
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

function facts(result: MatrixResult, servers: readonly ServerGroup[], context: HtmlReportContext): SafeHtml {
  const { summary } = result;
  const engines = [...new Set(servers.map((server) => server.engine))].map((engine) =>
    engine === 'node' ? 'the built-in Node engine' : engine,
  );
  const when = context.generatedAt;
  const list: [string, HtmlValue][] = [
    ['tool', context.toolVersion ? `mtls-lab ${context.toolVersion}` : null],
    ['finished', when ? html`<time datetime="${when.toISOString()}">${utc(when)}</time>` : null],
    ['scenario', result.scenario],
    ['target', result.target],
    ['PKI', pkiWords(result)],
    result.target
      ? ['clients', `the built-in clients against ${result.target}`]
      : ['servers', `${plural(servers.length, 'server')} on ${engines.join(', ')}`],
    [
      'cells',
      `${plural(summary.cells, 'cell')}: ${plural(summary.modes.length, 'mode')} × ${plural(summary.identities.length, 'identity', 'identities')} × ${summary.protocols.join(', ')} × TLS ${summary.tls.join(', ')}`,
    ],
    ['took', `${(summary.durationMs / 1000).toFixed(1)} s`],
  ];
  const set = list.filter(([, value]) => value !== null && value !== undefined);
  return html`<dl class="facts">
    ${set.map(
      ([label, value]) =>
        html`<dt>${label}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;
}

/** The verdict of the run, in the table report's words, with its counts. */
export function verdictLine(result: MatrixResult): SafeHtml {
  const { summary } = result;
  const judged = summary.passed + summary.failed;
  const problem = notGreen(summary, result.problems);
  const counts = [
    `${summary.accepted} accepted`,
    `${summary.rejected} rejected`,
    summary.inconclusive > 0 ? `${summary.inconclusive} inconclusive` : '',
    summary.skipped > 0 ? `${summary.skipped} skipped` : '',
    summary.notServed > 0 ? `${summary.notServed} not served` : '',
  ].filter(Boolean);
  const words = problem === null ? `all ${judged} cells as expected` : problem;
  return html`<p class="verdict ${problem === null ? 'green' : 'red'}">
    <span class="sym" aria-hidden="true">${problem === null ? '✓' : '✗'}</span>
    <b><span class="sr">${problem === null ? 'Green: ' : 'Not green: '}</span>${words}</b>
    <span class="counts">(${counts.join(', ')})</span>
  </p>`;
}

export function header(
  result: MatrixResult,
  servers: readonly ServerGroup[],
  context: HtmlReportContext,
): SafeHtml {
  return html`<header>
    <h1>${reportTitle(result)}</h1>
    ${verdictLine(result)} ${facts(result, servers, context)}
  </header>`;
}
