/** Running the built binary (`npm test` builds dist/ first). */
import { execa } from 'execa';

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
