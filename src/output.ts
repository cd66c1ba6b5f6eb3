/**
 * The one place that writes human text. Colour follows each stream on its own (a piped
 * stdout with a terminal stderr colours only stderr) and honours NO_COLOR / FORCE_COLOR.
 * Machine formats (JSON, JUnit, ...) are written with `data()` to stdout and never coloured.
 *
 * A reader may go away (`mtls-lab serve ... | head -n1`): a write to a closed pipe then fails
 * with EPIPE. That is the reader's choice, not our failure: the stream is marked closed, later
 * writes to it are dropped, and the command carries on (and ends with its usual exit code).
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Stream {
  /** `done` (where given) learns whether the chunk was written; a real stream calls it later. */
  write(chunk: string, done?: (error?: Error | null) => void): unknown;
  isTTY?: boolean;
  /** Where a real stream reports a failed write (EPIPE when the reader is gone). */
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export interface Output {
  /** Styles for text bound for stdout. */
  readonly c: ChalkInstance;
  /** Styles for text bound for stderr. */
  readonly e: ChalkInstance;
  /** A line of human text on stdout. */
  line(text?: string): void;
  /** A line of human text on stderr (notes, warnings, progress). */
  note(text?: string): void;
  /** Raw machine output on stdout, exactly as given. */
  data(text: string): void;
  /**
   * A line of running log (`serve`'s connections): on stdout while a reader is there, then on
   * stderr, so the log outlives `| head -n1`.
   */
  log(text?: string): void;
  /** False once stdout's reader has gone away (EPIPE): what is written there is dropped. */
  readonly stdoutOpen: boolean;
  /** True when stderr is a terminal: progress may be drawn. */
  readonly interactive: boolean;
  readonly stderr: Stream;
}

export function colourLevel(stream: Stream, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined)
    return force === '0' || force === 'false' ? 0 : force === '3' ? 3 : force === '2' ? 2 : 1;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

/** A stream that drops writes once it failed, instead of crashing the process with 'error'. */
interface Guarded extends Stream {
  readonly open: boolean;
}

function guard(stream: Stream, onClosed: (error: NodeJS.ErrnoException) => void = () => {}): Guarded {
  let open = true;
  stream.on?.('error', (error) => {
    if (!open) return;
    open = false;
    onClosed(error);
  });
  return {
    get open() {
      return open;
    },
    isTTY: stream.isTTY,
    write: (chunk, done) => open && stream.write(chunk, done),
  };
}

export function createOutput(
  stdout: Stream = process.stdout,
  stderr: Stream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const err = guard(stderr);
  const out = guard(stdout, (error) => {
    // A reader that left (EPIPE) is normal; anything else is worth one line.
    if (error.code !== 'EPIPE')
      err.write(`mtls-lab: cannot write to stdout (${error.code ?? error.message}); going on without it\n`);
  });
  return {
    c: new Chalk({ level: colourLevel(stdout, env) }),
    e: new Chalk({ level: colourLevel(stderr, env) }),
    line: (text = '') => out.write(`${text}\n`),
    note: (text = '') => err.write(`${text}\n`),
    data: (text) => out.write(text),
    // The write that meets the closed pipe fails after the fact: that line then goes to stderr.
    log: (text = '') => {
      const chunk = `${text}\n`;
      if (!out.open) err.write(chunk);
      else out.write(chunk, (error) => error && err.write(chunk));
    },
    get stdoutOpen() {
      return out.open;
    },
    interactive: Boolean(stderr.isTTY) && env.CI === undefined,
    stderr: err,
  };
}

/** An Output that records everything, for tests and for rendering to a string. */
export function memoryOutput(): Output & { stdoutText(): string; stderrText(): string } {
  let out = '';
  let err = '';
  const output = createOutput(
    { write: (s: string) => (out += s) },
    { write: (s: string) => (err += s) },
    { NO_COLOR: '1' },
  );
  return Object.assign(output, { stdoutText: () => out, stderrText: () => err });
}
