/** `--verbose`: the grid report, preceded by every cell with handshake, request and server view. */
import type { ChalkInstance } from 'chalk';
import type { MatrixResult } from '../matrix/types.js';
import { verdictWords } from './describe.js';
import { cellTitle, renderCellDetail, renderTable } from './table.js';

export function renderVerbose(result: MatrixResult, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const cell of result.cells) {
    const mark =
      cell.verdict === null
        ? c.dim('–')
        : cell.verdict === 'inconclusive'
          ? c.magenta('?')
          : cell.pass
            ? c.green('✓')
            : c.red('✗');
    const words = verdictWords(cell);
    const verdict =
      cell.verdict === null
        ? c.dim(words)
        : cell.verdict === 'accepted'
          ? c.green(words)
          : cell.verdict === 'inconclusive'
            ? c.magenta(words)
            : c.yellow(words);
    lines.push(
      `${mark} ${cellTitle(cell)}: ${verdict}`,
      ...renderCellDetail(cell, c, result.target !== null),
    );
  }
  return `${lines.join('\n')}\n\n${renderTable(result, c)}`;
}
