/**
 * Plumbing shared by the commands that run cells: progress on a terminal, and writing their
 * reports — several per run — to files and stdout.
 */
import { Chalk } from 'chalk';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeReport } from '../files.js';
import type { MatrixResult } from '../matrix/types.js';
import type { Output } from '../output.js';
import { FORMATS, type Format, renderReport } from '../report/index.js';
import { renderSummaryLine } from '../report/table.js';
import { packageVersion } from '../version.js';
import { parseChoice } from './options.js';

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

/** One report of a run: a format, and a file or '-' for stdout. */
export interface ReportTarget {
  format: Format;
  path: string;
}

/**
 * `--report FORMAT=FILE` (repeatable), with `--format`/`--output` as shorthand for one more.
 * At most one report goes to stdout: a machine format there owns it alone.
 */
export function parseReports(
  reports: readonly string[] | undefined,
  shorthand: { format?: string; output?: string; formatGiven: boolean },
): ReportTarget[] {
  const parsed = (reports ?? []).map((text): ReportTarget => {
    const at = text.indexOf('=');
    const format = at > 0 ? text.slice(0, at) : '';
    const path = at > 0 ? text.slice(at + 1) : '';
    if (!FORMATS.includes(format as Format) || path === '')
      throw new UsageError(
        `--report ${JSON.stringify(text)}: expected FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')} and FILE a path, or - for stdout.`,
      );
    return { format: format as Format, path };
  });
  if (shorthand.output !== undefined || shorthand.formatGiven || parsed.length === 0) {
    const format = parseChoice(shorthand.format ?? 'table', FORMATS, '--format');
    parsed.push({ format, path: shorthand.output ?? '-' });
  }
  if (parsed.filter((report) => report.path === '-').length > 1)
    throw new UsageError('Only one report can go to stdout (-): give the others a file.');
  return parsed;
}

/** $GITHUB_STEP_SUMMARY is shared by every step of a job: a Markdown report there is added, not replaced. */
function appends(report: ReportTarget): boolean {
  const summary = process.env.GITHUB_STEP_SUMMARY;
  return (
    report.format === 'markdown' &&
    summary !== undefined &&
    summary !== '' &&
    resolve(report.path) === resolve(summary)
  );
}

export async function emitReports(
  io: Output,
  result: MatrixResult,
  reports: readonly ReportTarget[],
  verbose = false,
): Promise<void> {
  // Files get no colour codes; stdout gets what the terminal allows.
  const plain = new Chalk({ level: 0 });
  // What the HTML report states about the run that its result does not hold.
  const context = { toolVersion: packageVersion(), generatedAt: new Date() };
  for (const report of reports.filter((r) => r.path !== '-'))
    await writeReport(report.path, renderReport(result, report.format, plain, verbose, context), {
      append: appends(report),
    });
  const toStdout = reports.find((report) => report.path === '-');
  if (toStdout) io.data(renderReport(result, toStdout.format, io.c, verbose, context));
  const files = reports.filter((r) => r.path !== '-').map((r) => r.path);
  // Without a table on the terminal, the one-line verdict goes to stderr.
  if (files.length > 0 && toStdout?.format !== 'table')
    io.note(
      `${renderSummaryLine(result, io.e)} ${io.e.dim(`report${files.length > 1 ? 's' : ''} written to ${files.join(', ')}`)}`,
    );
}
