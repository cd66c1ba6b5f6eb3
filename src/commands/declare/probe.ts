/** `mtls-lab probe`, declared: name, argument, options, defaults and help. The work is in ../probe.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { DEFAULT_PROBE_TIMEOUT_MS } from './defaults.js';
import { lazy } from './lazy.js';
import { declareOwnIdentityOptions } from './own.js';

export function declareProbe(program: Command, ctx: CliContext): void {
  const probe = program
    .command('probe')
    .argument('<target>', 'the server: HOST:PORT, [IPv6]:PORT or https://HOST:PORT')
    .description("infer a server's client-auth mode from what it accepts")
    .option(
      '--pki <dir>',
      'a PKI (from `mtls-lab gen`) whose client CA the server trusts: adds a valid identity',
    )
    .option(
      '--server-ca <file>',
      "PEM CA that issued the server's certificate (default: the PKI's, else public roots)",
    )
    .option('--servername <name>', "SNI and the name the server's certificate must carry")
    .option('--json', 'print the result as JSON')
    .option('--timeout <seconds>', 'limit for one attempt', String(DEFAULT_PROBE_TIMEOUT_MS / 1000))
    .option('--wait <seconds>', 'wait up to this long for the server to accept connections');
  declareOwnIdentityOptions(probe).action(lazy(ctx, async () => (await import('../probe.js')).probeAction));
}
