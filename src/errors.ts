/**
 * Errors the user caused (bad option, bad file, bad scenario). The entry point prints
 * their message as one paragraph and exits 2; anything else is a bug and keeps its stack.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** Bad input in a file: the message must name the file (and line:column where there is one). */
export class InputError extends UsageError {}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}

/** Message of any thrown value, for error paths that must not lose information. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The user stopped a run (Ctrl-C / SIGTERM); everything was torn down. Exit code 130. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  readonly exitCode = 130;
}
