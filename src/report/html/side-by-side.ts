/**
 * The side-by-side section of the HTML report: per mode, identities × engines, how each engine
 * answered each identity (shown for a run of two or more engines).
 */
import type { MatrixResult } from '../../matrix/types.js';
import type { GridMarkKind } from '../describe.js';
import { entryLines, type SideBySideEntry, sideBySide } from '../side-by-side.js';
import { breakable, html, type SafeHtml } from './escape.js';
import { MARK_SYMBOL } from './marks.js';
import type { Section } from './sections.js';

function kindOf(entry: SideBySideEntry): GridMarkKind {
  if (entry.notRun !== null) return 'unrun';
  if (entry.pass === false) return 'failed';
  if (entry.pass === null) return 'inconclusive';
  return entry.outcomes.every((outcome) => outcome.kind === 'accepted') ? 'accepted' : 'rejected';
}

const MEANING: Record<GridMarkKind, string> = {
  empty: 'no cell',
  unrun: 'not run:',
  failed: 'unexpected:',
  inconclusive: 'proves nothing:',
  accepted: 'as expected:',
  rejected: 'as expected:',
  mixed: 'as expected:',
};

function entryCell(entry: SideBySideEntry | null): SafeHtml {
  if (entry === null) return html`<td class="m k-empty"><span>·</span></td>`;
  const kind = kindOf(entry);
  // The words for screen readers already say "not run:".
  const lines = entry.notRun !== null ? [entry.notRun] : entryLines(entry);
  const mark = html`<span class="sym" aria-hidden="true">${MARK_SYMBOL[kind]}</span
    ><span class="sr">${MEANING[kind]}</span> `;
  return html`<td class="m k-${kind} sbs">
    <span
      >${lines.map((line, index) => html`<span class="line">${index === 0 ? mark : null}${line}</span>`)}</span
    >
  </td>`;
}

export function sideBySideSection(result: MatrixResult): Section | null {
  const views = sideBySide(result);
  if (views.length === 0) return null;
  const tables = views.map(
    (view) =>
      html`<h3>${view.mode}</h3>
        <div class="scroll">
          <table class="grid side-by-side">
            <thead>
              <tr>
                <th scope="col">identity</th>
                ${view.columns.map((column) => html`<th scope="col">${breakable(column.key)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${view.rows.map(
                (row) =>
                  html`<tr>
                    <th scope="row">${row.identity}</th>
                    ${row.entries.map(entryCell)}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`,
  );
  return {
    id: 'side-by-side',
    title: 'Engines side by side',
    body: html`<p class="about">
        How each engine answered each identity, over every protocol and TLS version: the TLS alert and where
        it arrived (in the handshake, or on the client's first read after it), a close without alert, or the
        application's refusal. ✓ as expected: the mode's promise plus the engine's stated deviations.
      </p>
      ${tables}`,
  };
}
