/** `mtls-lab serve`, declared: name, options, defaults and help. The work is in ../serve.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { TLS_VERSIONS } from '../../servers/types.js';
import { SERVE_HOSTS } from './defaults.js';
import { lazy } from './lazy.js';

export function declareServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run one server in one client-auth mode (TLS, HTTPS, HTTP/2 and gRPC on one port)')
    .requiredOption('--mode <mode>', 'client-auth mode, canonical name or alias (see `mtls-lab modes`)')
    .option('--pki <dir>', 'a PKI folder written by `mtls-lab gen` (default: a fresh temporary one)')
    .option('--port <n>', 'port to listen on (default: any free port)')
    .option('--tls <version>', `only this TLS version: ${TLS_VERSIONS.join(' or ')} (default: both)`)
    .option('--host <address>', `loopback address: ${SERVE_HOSTS.join(' or ')}`, '127.0.0.1')
    .action(lazy(ctx, async () => (await import('../serve.js')).serveAction));
}
