/** `mtls-lab modes` and `mtls-lab scenarios`, declared. The work is in ../modes.ts and ../scenarios.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { lazy } from './lazy.js';

export function declareModes(program: Command, ctx: CliContext): void {
  program
    .command('modes')
    .description('list the five client-auth modes, every alias, and what a server may forgive')
    .option('--json', 'print as JSON')
    .action(lazy(ctx, async () => (await import('../modes.js')).modesAction));
}

export function declareScenarios(program: Command, ctx: CliContext): void {
  program
    .command('scenarios')
    .description('list the shipped scenario files, with what each shows')
    .option('--json', 'print as JSON')
    .action(lazy(ctx, async () => (await import('../scenarios.js')).scenariosAction));
}
