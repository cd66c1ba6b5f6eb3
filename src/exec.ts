/**
 * Running a program to completion, never throwing for its exit status: execa, loaded on first
 * use, because most runs start no external program and loading the library costs every
 * start-up, each shard worker's included.
 */
export interface ProgramOptions {
  timeout: number;
  cwd?: string;
  env?: Record<string, string>;
  stdin?: 'ignore' | 'pipe' | 'inherit';
  /** Also collect stdout and stderr interleaved, as `all`. */
  all?: boolean;
  /** Stops the program (SIGTERM, then SIGKILL after forceKillAfterDelay). */
  cancelSignal?: AbortSignal;
  forceKillAfterDelay?: number;
}

export interface ProgramResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  all: string;
  /** Why it failed, in a line (not found, timed out, exit status...). */
  shortMessage: string | undefined;
  /** The spawn error's code (ENOENT: not installed). */
  code: string | undefined;
  timedOut: boolean;
  /** Stopped by cancelSignal. */
  isCanceled: boolean;
}

export async function runProgram(
  file: string,
  args: readonly string[],
  options: ProgramOptions,
): Promise<ProgramResult> {
  const { execa } = await import('execa');
  const result = await execa(file, args, { ...options, reject: false });
  const failure = result as Partial<{ shortMessage: string; code: string }>;
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    all: String(result.all ?? ''),
    shortMessage: result.failed ? failure.shortMessage : undefined,
    code: failure.code,
    timedOut: result.timedOut,
    isCanceled: result.isCanceled,
  };
}
