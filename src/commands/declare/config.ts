/** `mtls-lab config`, declared: name, options and help. The work is in ../config.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { ENGINES } from '../../engines/names.js';
import { lazy } from './lazy.js';

export function declareConfig(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('print the exact server configuration an engine runs for a mode, to paste into your own')
    .requiredOption('--engine <engine>', `the engine: ${ENGINES.join(', ')}`)
    .requiredOption('--mode <mode>', 'client-auth mode, canonical name or alias (see `mtls-lab modes`)')
    .option(
      '--pki <dir>',
      'point the paths at this PKI folder (from `mtls-lab gen`); else placeholders under /etc/mtls',
    )
    .option('--tls <version>', 'TLS version: 1.2 or 1.3', '1.3')
    .option('--crl', "check client certificates against the PKI's CRLs")
    .option('--port <n>', 'port to listen on (on 127.0.0.1)', '8443')
    .option(
      '--run-dir <dir>',
      "the server's own folder: pid file, temporary files (default /var/lib/mtls-lab/ENGINE)",
    )
    .action(lazy(ctx, async () => (await import('../config.js')).configAction));
}
