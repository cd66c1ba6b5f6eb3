/**
 * `mtls-lab matrix`: the main job. A fresh in-memory PKI (or --pki DIR), servers in every
 * selected mode and TLS version, every selected identity over every selected protocol,
 * and a report. Exit code 0 when every cell met its expectation, 1 when any did not.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';
import { UsageError } from '../errors.js';
import { notableObservations } from '../matrix/observations.js';
import { planMatrix } from '../matrix/plan.js';
import { defaultShards, runSharded } from '../matrix/shards.js';
import { summarise } from '../matrix/summary.js';
import type { MatrixResult } from '../matrix/types.js';
import { findMode, MODES, type Mode } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import { loadPki } from '../pki/load.js';
import { KEY_TYPES, type KeyType, type PkiMaterial } from '../pki/types.js';
import { FORMATS, type Format } from '../report/index.js';
import { PROTOCOLS, type Protocol, TLS_VERSIONS, type TlsVersion } from '../servers/types.js';
import { parseChoice, parseChoiceList, parsePositiveInt, parseSeconds } from './options.js';
import { emitReport, withInterrupt, withProgress } from './report-output.js';

export interface MatrixOptions {
  /** Use the PKI in this folder instead of a fresh in-memory one. */
  pkiDir?: string;
  keyType: KeyType;
  modes: Mode[];
  /** Identity names; undefined = every identity of the PKI. */
  identities?: string[];
  protocols: Protocol[];
  tls: TlsVersion[];
  concurrency: number;
  timeoutMs: number;
  checkCrl: boolean;
  /** Threads to spread servers over; default: one per core (at most 4). */
  shards?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Enough in-flight cells to keep both the servers and the clients busy on a small machine. */
export const DEFAULT_CONCURRENCY = Math.min(64, 16 * availableParallelism());
export const DEFAULT_TIMEOUT_MS = 5000;

export async function matrixCommand(options: MatrixOptions): Promise<MatrixResult> {
  const started = performance.now();
  const pki: PkiMaterial = options.pkiDir
    ? await loadPki(options.pkiDir)
    : await generatePki({ keyType: options.keyType });
  const identities = selectIdentities(pki, options.identities);
  const plan = planMatrix({
    modes: options.modes,
    identities,
    protocols: options.protocols,
    tls: options.tls,
    checkCrl: options.checkCrl,
  });
  const cells = await runSharded({
    pki,
    plan,
    shards: options.shards ?? defaultShards(),
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return {
    summary: summarise(cells, performance.now() - started),
    cells,
    observations: notableObservations(cells),
    pki: { keyType: pki.keyType, dir: pki.dir ?? null, generated: !options.pkiDir },
  };
}

function selectIdentities(pki: PkiMaterial, names: string[] | undefined) {
  if (!names) return pki.identities;
  const known = pki.identities.map((identity) => identity.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`--identities: unknown identity "${name}"; this PKI has: ${known.join(', ')}.`);
    }
  }
  return pki.identities.filter((identity) => names.includes(identity.name));
}

interface RawMatrixOptions {
  pki?: string;
  keyType: string;
  modes?: string;
  identities?: string;
  protocols?: string;
  tls?: string;
  concurrency: string;
  timeout: string;
  crl: boolean;
  format: string;
  output?: string;
  verbose?: boolean;
}

export function parseMatrixOptions(raw: RawMatrixOptions): MatrixOptions & { format: Format } {
  return {
    pkiDir: raw.pki,
    keyType: parseChoice(raw.keyType, KEY_TYPES, '--key-type'),
    modes: raw.modes ? parseChoiceList(raw.modes, MODES, '--modes', findMode) : [...MODES],
    identities: raw.identities
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    protocols: raw.protocols ? parseChoiceList(raw.protocols, PROTOCOLS, '--protocols') : [...PROTOCOLS],
    tls: raw.tls ? parseChoiceList(raw.tls, TLS_VERSIONS, '--tls') : [...TLS_VERSIONS],
    concurrency: parsePositiveInt(raw.concurrency, '--concurrency', 1024),
    timeoutMs: parseSeconds(raw.timeout, '--timeout'),
    checkCrl: raw.crl,
    format: parseChoice(raw.format, FORMATS, '--format'),
  };
}

export function registerMatrix(program: Command, ctx: CliContext): void {
  program
    .command('matrix')
    .description('run every client identity against servers in every client-auth mode, and report')
    .option('--pki <dir>', 'use the PKI in this folder (from `mtls-lab gen`) instead of a fresh one')
    .option('--key-type <type>', `key type of the fresh PKI (${KEY_TYPES.join(', ')})`, 'ecdsa-p256')
    .option('--modes <list>', 'modes to test, comma-separated (names or aliases)')
    .option('--identities <list>', 'identities to run, comma-separated')
    .option('--protocols <list>', `protocols, comma-separated (${PROTOCOLS.join(', ')})`)
    .option('--tls <list>', 'TLS versions, comma-separated (1.2, 1.3)')
    .option('--concurrency <n>', 'cells in flight at once', String(DEFAULT_CONCURRENCY))
    .option(
      '--timeout <seconds>',
      'limit for one cell (handshake and request)',
      String(DEFAULT_TIMEOUT_MS / 1000),
    )
    .option('--no-crl', 'servers do not check the CRL (revoked certificates then verify)')
    .option('--format <format>', `report format (${FORMATS.join(', ')})`, 'table')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('-v, --verbose', 'list every cell with handshake, request and what the server saw')
    .action(async (raw: RawMatrixOptions) => {
      const options = parseMatrixOptions(raw);
      const result = await withInterrupt((signal) =>
        withProgress(ctx.io, 'cells', (onProgress) => matrixCommand({ ...options, signal, onProgress })),
      );
      await emitReport(ctx.io, result, { format: options.format, output: raw.output, verbose: raw.verbose });
      ctx.setExitCode(result.summary.failed === 0 ? 0 : 1);
    });
}
