/**
 * Every engine × every mode it expresses × the default identities over https, in one run of
 * the built binary (process start, PKI generation and every engine's start-up included).
 * Engines not installed here are skipped by the run itself and named in the output.
 */
import { execa } from 'execa';

export interface EnginesTiming {
  ms: number;
  judged: number;
  skipped: number;
  exitCode: number | undefined;
  /** Engines whose cells were all skipped (not installed). */
  missing: string[];
}

interface Report {
  summary: { cells: number; skipped: number; not_served: number };
  cells: { engine: string; skipped: string | null }[];
}

export async function timeAllEngines(cli: string): Promise<EnginesTiming> {
  const started = performance.now();
  const run = await execa(
    'node',
    [cli, 'matrix', '--engine', 'all', '--protocols', 'https', '--format', 'json'],
    {
      reject: false,
    },
  );
  const ms = performance.now() - started;
  const report = JSON.parse(run.stdout) as Report;
  const byEngine = new Map<string, { run: number; all: number }>();
  for (const cell of report.cells) {
    const entry = byEngine.get(cell.engine) ?? { run: 0, all: 0 };
    entry.all++;
    if (cell.skipped === null) entry.run++;
    byEngine.set(cell.engine, entry);
  }
  const { cells, skipped, not_served: notServed } = report.summary;
  return {
    ms,
    judged: cells - skipped - notServed,
    skipped: skipped + notServed,
    exitCode: run.exitCode,
    missing: [...byEngine].filter(([, counts]) => counts.run === 0).map(([engine]) => engine),
  };
}
