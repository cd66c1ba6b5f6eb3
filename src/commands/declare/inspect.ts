/** `mtls-lab inspect`, declared: name, arguments, options and help. The work is in ../inspect.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { PURPOSES } from './defaults.js';
import { lazy } from './lazy.js';

export function declareInspect(program: Command, ctx: CliContext): void {
  program
    .command('inspect')
    .description('show what certificates, keys, CRLs and .p12 files hold; with --ca, check the chain')
    .argument('<file...>', 'PEM or DER certificates (bundles too), private keys, CRLs, .p12/.pfx files')
    .option(
      '--password <password>',
      'password of .p12 files and encrypted keys (default: try changeit, then none)',
    )
    .option('--ca <file>', 'trusted CA certificate(s): check each file (leaf + intermediates) against them')
    .option('--crl <file>', 'CRL(s) to check the chain against (with --ca)')
    .option('--purpose <purpose>', `purpose the leaf must allow: ${PURPOSES.join(', ')}`, 'any')
    .option('--json', 'print as JSON')
    .action(lazy(ctx, async () => (await import('../inspect.js')).inspectAction));
}
