/**
 * The one place that writes human text. Colour follows each stream on its own (a piped
 * stdout with a terminal stderr colours only stderr) and honours NO_COLOR / FORCE_COLOR.
 * Machine formats (JSON, JUnit, ...) are written with `data()` to stdout and never coloured.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
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

export function createOutput(
  stdout: Stream = process.stdout,
  stderr: Stream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  return {
    c: new Chalk({ level: colourLevel(stdout, env) }),
    e: new Chalk({ level: colourLevel(stderr, env) }),
    line: (text = '') => stdout.write(`${text}\n`),
    note: (text = '') => stderr.write(`${text}\n`),
    data: (text) => stdout.write(text),
    interactive: Boolean(stderr.isTTY) && env.CI === undefined,
    stderr,
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
