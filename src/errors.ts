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

/**
 * User-supplied text made safe to print in a message: control characters (terminal escape
 * sequences, NUL, newlines, C1 controls, bidi overrides) become visible escapes such as \x1b.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
