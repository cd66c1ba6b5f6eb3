/** `--verbose`: the grid report, preceded by every cell with handshake, request and server view. */
import type { ChalkInstance } from 'chalk';
import type { MatrixResult } from '../matrix/types.js';
import { cellTitle, renderCellDetail, renderTable } from './table.js';

export function renderVerbose(result: MatrixResult, c: ChalkInstance): string {
  const lines: string[] = [];
  for (const cell of result.cells) {
    const mark = cell.skipped !== undefined ? c.dim('–') : cell.pass ? c.green('✓') : c.red('✗');
    const verdict =
      cell.skipped !== undefined
        ? c.dim('skipped')
        : cell.verdict === 'accepted'
          ? c.green(cell.verdict)
          : c.yellow(cell.verdict);
    lines.push(
      `${mark} ${cellTitle(cell)}: ${verdict}`,
      ...renderCellDetail(cell, c, result.target !== null),
    );
  }
  return `${lines.join('\n')}\n\n${renderTable(result, c)}`;
}
