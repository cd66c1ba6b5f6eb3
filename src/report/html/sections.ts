/**
 * The report's lists: run-level problems, the unexpected and inconclusive cells in full, the
 * observations, the cells not run with their reasons, and the legend of the marks.
 */
import type { MatrixResult } from '../../matrix/types.js';
import { skipReasons } from '../table.js';
import { cellArticle } from './cell-detail.js';
import { html, type SafeHtml } from './escape.js';
import { groupMark, MARK_SYMBOL } from './marks.js';
import type { ServerGroup } from './servers.js';
import type { GridMarkKind } from '../describe.js';

/** A titled section; nothing at all when it has nothing to say. */
export interface Section {
  id: string;
  title: string;
  body: SafeHtml;
}

export function problemsSection(result: MatrixResult): Section | null {
  const problems = result.problems ?? [];
  if (problems.length === 0) return null;
  return {
    id: 'problems',
    title: `Run problems (${problems.length})`,
    body: html`<ul class="notes">
      ${problems.map((problem) => html`<li>${problem}</li>`)}
    </ul>`,
  };
}

export function unexpectedSection(result: MatrixResult): Section | null {
  const failed = result.cells.filter((cell) => cell.pass === false);
  if (failed.length === 0) return null;
  return {
    id: 'unexpected',
    title: `Unexpected cells (${failed.length})`,
    body: html`<p>These cells did not do what was expected of them.</p>
      ${failed.map((cell) => cellArticle(cell, result.target !== null))}`,
  };
}

export function inconclusiveSection(result: MatrixResult): Section | null {
  const inconclusive = result.cells.filter((cell) => cell.verdict === 'inconclusive');
  if (inconclusive.length === 0) return null;
  return {
    id: 'inconclusive',
    title: `Inconclusive cells (${inconclusive.length})`,
    body: html`<p>
        What these cells observed proves nothing about the client certificate: neither a pass nor a refusal.
      </p>
      ${inconclusive.map((cell) => cellArticle(cell, result.target !== null))}`,
  };
}

export function observationsSection(result: MatrixResult): Section | null {
  if (result.observations.length === 0) return null;
  return {
    id: 'observations',
    title: 'Observations',
    body: html`<ul class="notes">
      ${result.observations.map((note) => html`<li>${note}</li>`)}
    </ul>`,
  };
}

export function notRunSection(result: MatrixResult): Section | null {
  const reasons = skipReasons(result.cells);
  if (reasons.length === 0) return null;
  const { skipped, notServed } = result.summary;
  return {
    id: 'not-run',
    title: `Cells not run (${skipped + notServed})`,
    body: html`<p>Reported, never judged: they count neither as passed nor as failed.</p>
      <ul class="notes">
        ${reasons.map((reason) => html`<li>${reason}</li>`)}
      </ul>`,
  };
}

/** What the marks mean: the three always shown, and the others when the run has them. */
export function legend(result: MatrixResult, servers: readonly ServerGroup[]): SafeHtml {
  const { summary } = result;
  const mixed = servers.some((server) =>
    summary.identities.some(
      (identity) => groupMark(server.cells.filter((cell) => cell.identity === identity)).kind === 'mixed',
    ),
  );
  const items: [GridMarkKind, string, boolean][] = [
    ['accepted', 'accepted, as expected', true],
    ['rejected', 'rejected, as expected', true],
    ['mixed', 'some accepted, some rejected, all as expected', mixed],
    ['failed', 'not as expected', true],
    ['inconclusive', 'inconclusive: proves nothing', summary.inconclusive > 0],
    ['unrun', 'not run (skipped or not served)', summary.skipped + summary.notServed > 0],
  ];
  const shown = items.filter(([, , show]) => show).map(([kind, words]) => [kind, MARK_SYMBOL[kind], words]);
  return html`<ul class="legend" aria-label="What the marks mean">
    ${shown.map(
      ([kind, symbol, words]) =>
        html`<li>
          <span class="m k-${kind}"><span class="sym" aria-hidden="true">${symbol}</span></span> ${words}
        </li>`,
    )}
  </ul>`;
}

export function renderSection(section: Section): SafeHtml {
  return html`<section id="${section.id}">
    <h2>${section.title}</h2>
    ${section.body}
  </section>`;
}
