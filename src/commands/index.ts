/** Every command, in the order `--help` lists them. */
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';
import { registerModes } from './modes.js';

export function registerCommands(program: Command, ctx: CliContext): void {
  registerModes(program, ctx);
}
