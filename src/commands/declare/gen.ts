/** `mtls-lab gen`, declared: name, options, defaults and help. The work is in ../gen.ts. */
import { type Command, Option } from 'commander';
import type { CliContext } from '../../cli.js';
import { DEFAULT_DAYS, DEFAULT_KEY_TYPE, DEFAULT_P12_PASSWORD, KEY_TYPES } from '../../pki/types.js';
import { lazy } from './lazy.js';

export function declareGen(program: Command, ctx: CliContext): void {
  program
    .command('gen')
    .description('write a complete test PKI (CAs, server, every client identity, CRLs, PKCS#12) to a folder')
    .option('-o, --out <dir>', 'folder to write', './pki')
    .option('-k, --key-type <type>', `key type: ${KEY_TYPES.join(', ')}`, DEFAULT_KEY_TYPE)
    .option('--days <n>', 'validity of the current certificates, in days', String(DEFAULT_DAYS))
    .addOption(
      new Option('--host <name>', 'extra DNS name or IP address for the server certificate (repeatable)')
        .argParser(collect)
        .default([], 'none'),
    )
    .option('--force', 'replace a PKI already in the folder')
    .option('--p12-password <password>', 'password of every .p12 file', DEFAULT_P12_PASSWORD)
    .option('--json', 'print the manifest as JSON')
    .action(lazy(ctx, async () => (await import('../gen.js')).genAction));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
