/**
 * Start-up as a user meets it: `node bin/mtls-lab.js` with `--version`, `--help` and `modes`,
 * each the median of several runs, against a bare `node -e 0` measured in the same run.
 * Commands are declared light and run heavy, so `--version` and `--help` should stay within
 * 2× a bare Node.
 */
import { execa } from 'execa';

export interface StartupTiming {
  label: string;
  ms: number;
  /** Median over the median of `node -e 0`. */
  ratio: number;
}

async function median(args: readonly string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await execa('node', args, { reject: false, env: { NO_COLOR: '1' } });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function timeStartup(cli: string, runs = 11): Promise<StartupTiming[]> {
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['--version', [cli, '--version']],
    ['--help', [cli, '--help']],
    ['modes', [cli, 'modes']],
  ];
  await median([cli, '--version'], 2); // warm the file cache
  const medians: number[] = [];
  for (const [, args] of cases) medians.push(await median(args, runs));
  const bare = medians[0]!;
  return cases.map(([label], i) => ({ label, ms: medians[i]!, ratio: medians[i]! / bare }));
}

/** Times start-up and prints the figures (the start-up section of `npm run bench`). */
export async function benchStartup(
  cli: string,
  runs = Number(process.env.BENCH_STARTUP_RUNS ?? 11),
): Promise<void> {
  printStartup(await timeStartup(cli, runs), runs);
}

export function printStartup(timings: readonly StartupTiming[], runs: number): void {
  console.log(`start-up, median of ${runs} runs each (built binary):`);
  for (const t of timings)
    console.log(
      `  ${t.label.padEnd(10)} ${t.ms.toFixed(0).padStart(5)} ms  ${t.ratio.toFixed(2)}× node -e 0`,
    );
  const worst = Math.max(...timings.filter((t) => t.label.startsWith('--')).map((t) => t.ratio));
  console.log(`--version and --help: at most ${worst.toFixed(2)}× node -e 0 (target: within 2×)`);
}
