/**
 * Every command, in the order `--help` lists them. Each command module is imported only
 * when it is the one being run (or for help): the heavy dependencies (X.509, gRPC,
 * PKCS#12, YAML) then load only where needed, which keeps start-up short for CI runs.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';

type Register = (program: Command, ctx: CliContext) => void;

const COMMANDS: Record<string, () => Promise<Register>> = {
  matrix: async () => (await import('./matrix.js')).registerMatrix,
  gen: async () => (await import('./gen.js')).registerGen,
  inspect: async () => (await import('./inspect.js')).registerInspect,
  serve: async () => (await import('./serve.js')).registerServe,
  probe: async () => (await import('./probe.js')).registerProbe,
  modes: async () => (await import('./modes.js')).registerModes,
  scenarios: async () => (await import('./scenarios.js')).registerScenarios,
};

/** Registers the command named in argv, or every command when none is (help, errors). */
export async function registerCommands(
  program: Command,
  ctx: CliContext,
  argv: readonly string[],
): Promise<void> {
  const named = argv.find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, ctx);
}
