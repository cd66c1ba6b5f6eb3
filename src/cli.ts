/**
 * Entry point: builds the commander program, runs one command, and turns what happened
 * into an exit code. This is the only place that decides exit codes:
 * 0 success, 1 a check failed (matrix cells that missed their expectation), 2 bad usage or input,
 * 130 / 143 interrupted by SIGINT / SIGTERM (0 for `serve`, which runs until stopped).
 */
import './quiet-warnings.js';
import { Command, CommanderError } from 'commander';
import { declareCommands } from './commands/index.js';
import { Interrupted, isUsageError, messageOf } from './errors.js';
import { interruptOnSignals } from './interrupt.js';
import { createOutput, type Output } from './output.js';
import { announceStagesTo } from './stages.js';
import { packageVersion } from './version.js';

export interface CliContext {
  io: Output;
  /** Set the process exit code the command wants (0 or 1; usage errors are thrown). */
  setExitCode(code: number): void;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM (see interrupt.ts): every command stops and tears down. */
  signal: AbortSignal;
  /** For commands that run until stopped (`serve`): an interrupt is their normal end, exit 0. */
  endsOnInterrupt(): void;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('mtls-lab')
    .description(
      'A harness for mutual TLS: test PKI, servers in every client-auth mode, and a client matrix.',
    )
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.data(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      outputError: (text, write) => write(ctx.io.e.red(text)),
    });
  declareCommands(program, ctx);
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

export async function main(argv: string[], io: Output = createOutput()): Promise<number> {
  let exitCode = 0;
  const interrupt = interruptOnSignals(io);
  const debug = argv.includes('--debug');
  if (debug) announceStagesTo((line) => io.note(io.e.dim(line)));
  let interruptIsNormal = false;
  const ctx: CliContext = {
    io,
    setExitCode: (code) => (exitCode = code),
    signal: interrupt.signal,
    endsOnInterrupt: () => (interruptIsNormal = true),
  };
  try {
    const program = buildProgram(ctx);
    await program.parseAsync(argv, { from: 'user' });
    if (interrupt.signal.aborted && !interruptIsNormal) throw new Interrupted('interrupted');
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; every other commander error is bad usage.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof Interrupted || (interrupt.signal.aborted && !isUsageError(error))) {
      // After an interrupt, an error from what was being torn down is part of the interrupt.
      const message = error instanceof Interrupted ? error.message : 'interrupted';
      io.note(io.e.yellow(`${message}; everything was shut down.`));
      if (debug && !(error instanceof Interrupted) && error instanceof Error) io.note(error.stack);
      return interruptIsNormal ? 0 : interrupt.exitCode();
    }
    if (isUsageError(error)) {
      io.note(io.e.red(`error: ${error.message}`));
      if (debug && error.stack) io.note(error.stack);
      return error.exitCode;
    }
    io.note(io.e.red(`error: ${messageOf(error)}`));
    io.note(
      debug && error instanceof Error && error.stack
        ? error.stack
        : 'This is a bug in mtls-lab; run again with --debug for the stack trace.',
    );
    return 3;
  } finally {
    interrupt.release();
    announceStagesTo(undefined);
  }
}
