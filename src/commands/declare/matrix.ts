/** `mtls-lab matrix`, declared: name, argument, options, defaults and help. The work is in ../matrix.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli.js';
import { ENGINES } from '../../engines/names.js';
import { FORGIVABLE } from '../../modes.js';
import { KEY_TYPES } from '../../pki/types.js';
import { FORMATS } from '../../report/formats.js';
import { PROTOCOLS } from '../../servers/types.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { lazy } from './lazy.js';
import { declareOwnIdentityOptions } from './own.js';

export function declareMatrix(program: Command, ctx: CliContext): void {
  const matrix = program
    .command('matrix')
    .argument('[scenario]', 'a scenario file, or the name of a shipped scenario (see `mtls-lab scenarios`)')
    .description('run every client identity against servers in every client-auth mode, and report')
    .option('--pki <dir>', 'use the PKI in this folder (from `mtls-lab gen`) instead of a fresh one')
    .option('--target <url>', 'run the clients against your server (https://host:port or host:port)')
    .option(
      '--expect-mode <mode>',
      'with --target: the mode your server should implement, any spelling (else: inferred)',
    )
    .option(
      '--expect-forgives <kinds>',
      `with --expect-mode: failures it lets through (${FORGIVABLE.join(', ')}), or none`,
    )
    .option(
      '--server-ca <file>',
      "with --target: what clients trust for your server (default: the PKI's serverCa)",
    )
    .option('--servername <name>', 'with --target: SNI and the name its certificate must carry')
    .option('--wait <seconds>', 'with --target: wait this long for it to accept connections')
    .option('--target-checks-crl', 'with --target: it checks CRLs (else revoked cells may go either way)')
    .option('--target-no-crl', 'with --target: it does not check CRLs')
    .option('--target-trusts-intermediate', 'with --target: it also trusts the intermediate CA')
    .option('--target-trusts-root-only', 'with --target: it trusts the root CA only, not the intermediate')
    .option('--key-type <type>', `key type of the fresh PKI (${KEY_TYPES.join(', ')})`, 'ecdsa-p256')
    .option('--modes <list>', 'modes to test, comma-separated (names or aliases)')
    .option('--identities <list>', 'identities to run, comma-separated')
    .option('--protocols <list>', `protocols, comma-separated (${PROTOCOLS.join(', ')})`)
    .option('--tls <list>', 'TLS versions, comma-separated (1.2, 1.3)')
    .option(
      '--engine <list>',
      `who runs the servers, comma-separated or all (${ENGINES.join(', ')}); each engine's servers are reported apart`,
    )
    .option('--concurrency <n>', 'cells in flight at once', String(DEFAULT_CONCURRENCY))
    .option(
      '--timeout <seconds>',
      'limit for one cell (handshake and request)',
      String(DEFAULT_TIMEOUT_MS / 1000),
    )
    .option('--no-crl', 'servers do not check the CRL (revoked certificates then verify)')
    .option('--format <format>', `report format (${FORMATS.join(', ')})`, 'table')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option(
      '--report <format=file>',
      `one more report: ${FORMATS.join('|')}=FILE, or =- for stdout; repeatable (Markdown to $GITHUB_STEP_SUMMARY appends)`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('-v, --verbose', 'list every cell with handshake, request and what the server saw');
  declareOwnIdentityOptions(matrix).action(
    lazy(ctx, async () => (await import('../matrix.js')).matrixAction),
  );
}
