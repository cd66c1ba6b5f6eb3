/**
 * What a grid cell shows: a symbol (the same as the table report's), words, a class that
 * colours it, and words for screen readers. The symbol and words carry the meaning; colour
 * only helps, so the page reads the same in print, in greyscale and to a screen reader.
 */
import type { CellResult } from '../../matrix/types.js';
import { type GridMarkKind, gridMark, verdictWords } from '../describe.js';
import { html, type SafeHtml } from './escape.js';

export const MARK_SYMBOL: Record<GridMarkKind, string> = {
  empty: '',
  unrun: '–',
  failed: '✗',
  inconclusive: '?',
  accepted: '✓',
  rejected: '✓',
  mixed: '✓',
};

/** What the symbol means, for a screen reader (the symbol itself is hidden from it). */
const MARK_MEANING: Record<GridMarkKind, string> = {
  empty: 'no cell',
  unrun: 'not run:',
  failed: 'unexpected:',
  inconclusive: 'proves nothing:',
  accepted: 'as expected:',
  rejected: 'as expected:',
  mixed: 'as expected:',
};

export interface Mark {
  kind: GridMarkKind;
  text: string;
}

/** One cell's mark: its verdict in words, flagged when it missed its expectation. */
export function cellMark(cell: CellResult): Mark {
  const text = verdictWords(cell);
  if (cell.verdict === null) return { kind: 'unrun', text };
  if (cell.verdict === 'inconclusive') return { kind: 'inconclusive', text };
  if (cell.pass === false) return { kind: 'failed', text };
  return { kind: cell.verdict, text };
}

/** Several cells (a server's protocols and TLS versions) summed up as the table report does. */
export const groupMark = (cells: readonly CellResult[]): Mark => gridMark(cells);

/** The symbol (hidden from screen readers, who get its meaning in words) and the words. */
export function markContent(mark: Mark): SafeHtml {
  const symbol = MARK_SYMBOL[mark.kind];
  if (!symbol)
    return html`<span class="sym" aria-hidden="true">·</span><span class="sr">${MARK_MEANING.empty}</span>`;
  return html`<span class="sym" aria-hidden="true">${symbol}</span
    ><span class="sr">${MARK_MEANING[mark.kind]}</span> ${mark.text}`;
}

/** A grid cell: a link to more detail, titled with the one-line story of what happened. */
export function markCell(mark: Mark, href: string, title: string): SafeHtml {
  if (mark.kind === 'empty') return html`<td class="m k-empty">${markContent(mark)}</td>`;
  return html`<td class="m k-${mark.kind}"><a href="${href}" title="${title}">${markContent(mark)}</a></td>`;
}

/** The one-line story of a cell, for tooltips: "accepted: HTTP 200 (expected rejected)". */
export function cellStory(cell: CellResult): string {
  if (cell.skipped !== undefined) return `skipped: ${cell.skipped}`;
  if (cell.notServed !== undefined) return `not served: ${cell.notServed}`;
  const expected =
    cell.pass === false
      ? `, but expected ${cell.expected.verdict}`
      : cell.pass === true
        ? ', as expected'
        : ` (expected ${cell.expected.verdict})`;
  const why = cell.why ? `; ${cell.why}` : '';
  return `${verdictWords(cell)}${expected}: ${cell.how}${why}`;
}
