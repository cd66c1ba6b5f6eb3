/**
 * The side-by-side view in the table report: per mode, identities × engines, each grid cell one
 * line per variant ("1.2 hs_failure (hs)"). Words are abbreviated the same way everywhere (see
 * the legend) and the engines are split into blocks, so no line is wider than 120 columns.
 */
import type { ChalkInstance } from 'chalk';
import type { MatrixResult } from '../matrix/types.js';
import {
  type Outcome,
  sameRefusal,
  type SideBySideEntry,
  type SideBySideMode,
  sideBySide,
  type Where,
} from './side-by-side.js';

export const SIDE_BY_SIDE_WIDTH = 120;

/** TLS alert names, shortened by one rule: certificate → cert, handshake → hs. */
export const shortAlert = (alert: string): string =>
  alert.replace(/certificate/g, 'cert').replace(/handshake/g, 'hs');

const SHORT_WHERE: Record<Where, string> = { handshake: 'hs', first_read: 'read' };

function shortOutcome(outcome: Outcome): string {
  const where = outcome.where ? ` (${SHORT_WHERE[outcome.where]})` : '';
  switch (outcome.kind) {
    case 'accepted':
      return 'accepted';
    case 'alert':
      return `${shortAlert(outcome.alert ?? '?')}${where}`;
    case 'close':
      return `close${where}`;
    case 'http':
    case 'grpc':
      return outcome.status ?? outcome.kind;
    case 'client':
      return 'client refused';
    case 'inconclusive':
      return 'inconclusive';
    case 'other':
      return outcome.how ?? '?';
  }
}

type Tone = 'pass' | 'fail' | 'unknown' | 'unrun';
const toneOf = (pass: boolean | null): Tone => (pass === true ? 'pass' : pass === false ? 'fail' : 'unknown');

/** The lines of one grid cell, each with its tone; the mark leads the first line. */
function cellLines(entry: SideBySideEntry | null): { text: string; tone: Tone }[] {
  if (entry === null) return [{ text: '·', tone: 'unrun' }];
  if (entry.notRun !== null) return [{ text: '– not run', tone: 'unrun' }];
  const mark = entry.pass === true ? '✓' : entry.pass === false ? '✗' : '?';
  const merged = sameRefusal(entry);
  if (merged) {
    const places = merged.places.map(([variant, where]) => `${variant} ${SHORT_WHERE[where]}`).join(', ');
    const what = shortOutcome({ ...merged.outcome, where: null });
    return [{ text: `${mark} ${what} (${places})`, tone: toneOf(merged.outcome.pass) }];
  }
  return entry.outcomes.map((outcome, index) => ({
    text: `${index === 0 ? mark : ' '} ${outcome.variant ? `${outcome.variant} ` : ''}${shortOutcome(outcome)}`,
    tone: toneOf(outcome.pass),
  }));
}

/** Column indices in blocks that each fit the width beside the identity column. */
function blocks(widths: readonly number[], idWidth: number): number[][] {
  const out: number[][] = [];
  let block: number[] = [];
  let used = idWidth;
  widths.forEach((width, index) => {
    if (block.length > 0 && used + width > SIDE_BY_SIDE_WIDTH) {
      out.push(block);
      block = [];
      used = idWidth;
    }
    block.push(index);
    used += width;
  });
  if (block.length > 0) out.push(block);
  return out;
}

function renderMode(view: SideBySideMode, c: ChalkInstance): string[] {
  const paint: Record<Tone, (text: string) => string> = {
    pass: (text) => text,
    fail: c.red.bold,
    unknown: c.magenta.bold,
    unrun: c.dim,
  };
  const idWidth = Math.max('identity'.length, ...view.rows.map((row) => row.identity.length)) + 2;
  const grid = view.rows.map((row) => row.entries.map(cellLines));
  const widths = view.columns.map(
    (column, index) =>
      Math.max(column.key.length, ...grid.flatMap((row) => row[index]!.map((line) => line.text.length))) + 2,
  );
  const lines: string[] = [c.bold(view.mode)];
  for (const [index, block] of blocks(widths, idWidth).entries()) {
    if (index > 0) lines.push('');
    const head =
      'identity'.padEnd(idWidth) + block.map((i) => view.columns[i]!.key.padEnd(widths[i]!)).join('');
    lines.push(c.dim(head.trimEnd()));
    view.rows.forEach((row, r) => {
      const height = Math.max(...block.map((i) => grid[r]![i]!.length));
      for (let n = 0; n < height; n++) {
        let line = (n === 0 ? row.identity : '').padEnd(idWidth);
        for (const i of block) {
          const cell = grid[r]![i]![n];
          line += cell
            ? paint[cell.tone](cell.text) + ' '.repeat(widths[i]! - cell.text.length)
            : ' '.repeat(widths[i]!);
        }
        lines.push(line.trimEnd());
      }
    });
  }
  return lines;
}

/** Words wrapped to the width, for the legend. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > SIDE_BY_SIDE_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const LEGEND =
  "✓ as expected (the mode's promise plus the engine's stated deviations), ✗ not, ? inconclusive, – not run. " +
  'Names are the TLS alert the client received (cert = certificate, hs = handshake): (hs) in the handshake, ' +
  '(read) on its first read after the handshake; close: closed with no alert; HTTP/gRPC: the application ' +
  "refused; client refused: the client refused the server's certificate. 1.2, 1.3: TLS versions.";

/** The view's lines for the table report; none for a run of one engine. */
export function renderSideBySide(result: MatrixResult, c: ChalkInstance): string[] {
  const views = sideBySide(result);
  if (views.length === 0) return [];
  const { protocols, tls } = result.summary;
  const lines = [
    c.bold(
      `Engines side by side: how each answered each identity (${protocols.join(', ')} × TLS ${tls.join(', ')})`,
    ),
  ];
  for (const view of views) lines.push('', ...renderMode(view, c));
  lines.push(...wrap(LEGEND).map((line) => c.dim(line)));
  return lines;
}
