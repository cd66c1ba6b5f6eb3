/**
 * `matrix` against a server the user runs: `--target`, or a scenario that names a target
 * (a per-route gateway included). Loaded only for such runs.
 */
import { UsageError } from '../errors.js';
import { applyFilters } from '../matrix/filter.js';
import { type PreparedRun, prepareDefault } from '../matrix/prepare.js';
import type { MatrixResult } from '../matrix/types.js';
import { MODES } from '../modes.js';
import type { ScenarioTarget } from '../scenario/target.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import type { MatrixOptions, TargetOptions } from './matrix.js';

/** How many cells at once, how long each, and who hears of progress and Ctrl-C. */
const limits = (options: MatrixOptions) => ({
  concurrency: options.concurrency,
  timeoutMs: options.timeoutMs,
  signal: options.signal,
  onProgress: options.onProgress,
});

export async function targetCommand(options: MatrixOptions, target: TargetOptions): Promise<MatrixResult> {
  const [{ targetMatrix }, { parseTarget }, { readServerCa }] = await Promise.all([
    import('../remote/matrix.js'),
    import('../remote/parse.js'),
    import('../remote/server-ca.js'),
  ]);
  const address = parseTarget(target.address, '--target');
  // The user's files first: bad input is found before a PKI is generated.
  const ownModule = options.own ? await import('./own-identities.js') : undefined;
  const own = options.own ? await ownModule!.readOwn(options.own) : undefined;
  const prepared = await prepareDefault({ pkiDir: options.pkiDir, keyType: options.keyType });
  // A PKI read from a folder is the one the target trusts (as targetMatrix assumes).
  const pki = own
    ? await ownModule!.ownForTarget(prepared.pki, own, prepared.pki.dir !== undefined)
    : prepared.pki;
  const ca = target.serverCaFile ? await readServerCa(target.serverCaFile) : undefined;
  return targetMatrix({
    target: address,
    pki,
    servername: target.servername,
    serverCaPem: ca?.pem,
    serverCaSource: ca?.source,
    identities: options.filters.identities,
    protocols: options.filters.protocols ?? PROTOCOLS,
    tls: options.filters.tls ?? TLS_VERSIONS,
    expect: target.expect,
    checksCrl: target.checksCrl,
    trustsIntermediate: target.trustsIntermediate,
    waitSeconds: target.waitSeconds,
    ...limits(options),
  });
}

/** A scenario that names a target: its PKI, its target, its routes; the filters narrow it. */
export async function scenarioTargetCommand(
  options: MatrixOptions,
  prepared: PreparedRun,
  target: ScenarioTarget,
): Promise<MatrixResult> {
  const [{ targetMatrix }, { readServerCa }] = await Promise.all([
    import('../remote/matrix.js'),
    import('../remote/server-ca.js'),
  ]);
  if (options.engines)
    throw new UsageError('--engine does not apply to a scenario with a target: you run that server.');
  if (options.filters.modes)
    throw new UsageError(
      "--modes does not apply to a scenario with a target: state its behaviour in the scenario's target.",
    );
  const ca = target.serverCaFile ? await readServerCa(target.serverCaFile) : undefined;
  // The scenario plans no servers of ours: the filters narrow identities, protocols and versions.
  const narrowed = applyFilters({ ...prepared.input, servers: undefined, modes: MODES }, options.filters);
  const result = await targetMatrix({
    target: target.address,
    pki: prepared.pki,
    ...(target.servername ? { servername: target.servername } : {}),
    ...(ca ? { serverCaPem: ca.pem, serverCaSource: `target.server_ca ${target.serverCaFile}` } : {}),
    identities: narrowed.identities.map((identity) => identity.name),
    protocols: narrowed.protocols,
    tls: narrowed.tls,
    ...(target.expect ? { expect: target.expect } : {}),
    ...(target.routes ? { routes: target.routes } : {}),
    checksCrl: target.checksCrl,
    trustsIntermediate: target.trustsIntermediate,
    waitSeconds: target.waitSeconds,
    ...limits(options),
  });
  return { ...result, scenario: prepared.scenario ?? null };
}
