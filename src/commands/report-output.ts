/**
 * Plumbing shared by the commands that run cells: progress on a terminal, and writing a
 * report to stdout or --output.
 */
import { Chalk } from 'chalk';
import { writeFileAtomic } from '../files.js';
import type { MatrixResult } from '../matrix/types.js';
import type { Output } from '../output.js';
import { type Format, renderReport } from '../report/index.js';
import { renderSummaryLine } from '../report/table.js';

/** Progress on stderr, only on a terminal and only once a run has taken over a second. */
export async function withProgress<T>(
  io: Output,
  unit: string,
  work: (onProgress: (done: number, total: number) => void) => Promise<T>,
): Promise<T> {
  if (!io.interactive) return work(() => {});
  const started = Date.now();
  let drawn = false;
  let lastDraw = 0;
  const onProgress = (done: number, total: number) => {
    const now = Date.now();
    // Quiet for the first second; then at most ten redraws a second, and always the last.
    if (now - started < 1000 || (now - lastDraw < 100 && done < total)) return;
    drawn = true;
    lastDraw = now;
    io.stderr.write(`\r${io.e.dim(`  ${done}/${total} ${unit}`)}\u001b[K`);
  };
  try {
    return await work(onProgress);
  } finally {
    if (drawn) io.stderr.write('\r\u001b[K');
  }
}

export async function emitReport(
  io: Output,
  result: MatrixResult,
  options: { format: Format; output?: string; verbose?: boolean },
): Promise<void> {
  if (options.output) {
    // A file gets no colour codes; the terminal gets the one-line verdict.
    await writeFileAtomic(
      options.output,
      renderReport(result, options.format, new Chalk({ level: 0 }), options.verbose),
    );
    io.note(`${renderSummaryLine(result, io.e)} ${io.e.dim(`report written to ${options.output}`)}`);
    return;
  }
  io.data(renderReport(result, options.format, io.c, options.verbose));
}
