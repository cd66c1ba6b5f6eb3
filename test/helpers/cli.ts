/**
 * Running the CLI in a test: `mtlsLab` runs the built binary (`npm test` builds dist/ first);
 * `runMain` runs the same entry point, main(), in this process with its output captured. Use
 * the binary where the process is the point (exit status, signals, streams, start-up); main()
 * elsewhere, as it judges the same argv the same way without a Node start-up per case.
 */
import { execa } from 'execa';
import { main } from '../../src/cli.js';
import { memoryOutput } from '../../src/output.js';

export interface CliRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

export async function mtlsLab(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliRun> {
  const run = await execa('node', ['bin/mtls-lab.js', ...args], {
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1', ...options.env },
  });
  return { exitCode: run.exitCode, stdout: String(run.stdout), stderr: String(run.stderr) };
}

/** main(args) in this process, without colour; the same result shape as mtlsLab. */
export async function runMain(args: string[]): Promise<CliRun> {
  const io = memoryOutput();
  const exitCode = await main(args, io);
  return { exitCode, stdout: io.stdoutText(), stderr: io.stderrText() };
}
