/**
 * `mtls-lab matrix [SCENARIO]`: the main job. The built-in default (a fresh in-memory PKI,
 * all five modes, every identity, protocol and TLS version), a PKI folder, or a scenario;
 * real servers and clients; a report. Exit code 0 when every cell met its expectation,
 * 1 when any did not.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli.js';
import { ENGINES, type Engine } from '../engines/registry.js';
import { UsageError } from '../errors.js';
import { applyFilters, type PlanFilters } from '../matrix/filter.js';
import { notableObservations } from '../matrix/observations.js';
import { planMatrix } from '../matrix/plan.js';
import { type PreparedRun, prepareDefault, prepareScenario } from '../matrix/prepare.js';
import { defaultShards, runSharded } from '../matrix/shards.js';
import { notGreen, summarise } from '../matrix/summary.js';
import type { MatrixResult } from '../matrix/types.js';
import {
  type Behaviour,
  findMode,
  MODE_PROMISES,
  MODES,
  modeNamesHelp,
  parseForgives,
  resolveBehaviour,
  sortForgives,
} from '../modes.js';
import { KEY_TYPES, type KeyType } from '../pki/types.js';
import { PROTOCOLS, TLS_VERSIONS } from '../servers/types.js';
import {
  findProtocol,
  findTlsVersion,
  parseChoice,
  parseChoiceList,
  parsePositiveInt,
  parseSeconds,
  PROTOCOL_HELP,
  TLS_VERSION_HELP,
} from './options.js';
import { type OwnIdentityOptions, parseOwnOptions, type RawOwnOptions } from './own-identities.js';
import { emitReports, parseReports, withProgress } from './report-output.js';

/** `--target`: run the clients against a server the user runs, instead of our own servers. */
export interface TargetOptions {
  address: string;
  /** The behaviour the user expects (mode plus forgives). */
  expect?: Behaviour;
  serverCaFile?: string;
  servername?: string;
  waitSeconds?: number;
  checksCrl?: boolean;
  trustsIntermediate?: boolean;
}

export interface MatrixOptions {
  /** A scenario file or the name of a shipped scenario. */
  scenario?: string;
  target?: TargetOptions;
  /** Use the PKI in this folder instead of a fresh in-memory one (not with a scenario). */
  pkiDir?: string;
  keyType: KeyType;
  filters: PlanFilters;
  concurrency: number;
  timeoutMs: number;
  /** Engines of the servers that name none (the default plan's, a scenario's without `engine`). */
  engines?: Engine[];
  /** Identities the user brings, and what the server trusts (--client-cert, --client-ca, ...). */
  own?: OwnIdentityOptions;
  /** Threads to spread servers over; default: one per core (at most 4). */
  shards?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onStarted?: (servers: number) => void;
}

export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from './declare/defaults.js';

export async function matrixCommand(options: MatrixOptions): Promise<MatrixResult> {
  if (options.target) return (await import('./matrix-target.js')).targetCommand(options, options.target);
  const started = performance.now();
  // The user's files first: bad input is found before a PKI is generated.
  const ownModule = options.own ? await import('./own-identities.js') : undefined;
  const own = options.own ? await ownModule!.readOwn(options.own) : undefined;
  const base: PreparedRun = options.scenario
    ? await prepareScenario(options.scenario, options.signal)
    : await prepareDefault({ pkiDir: options.pkiDir, keyType: options.keyType, signal: options.signal });
  const prepared = own ? await ownModule!.ownForServers(base, own) : base;
  try {
    if (prepared.target)
      return await (
        await import('./matrix-target.js')
      ).scenarioTargetCommand(options, prepared, prepared.target);
    const input = applyFilters(prepared.input, options.filters);
    const plan = planMatrix(options.engines ? { ...input, engines: options.engines } : input);
    const cells = await runSharded({
      pki: prepared.pki,
      plan,
      shards: options.shards ?? defaultShards(),
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onProgress: options.onProgress,
      ...(options.onStarted ? { onStarted: options.onStarted } : {}),
    });
    return {
      summary: summarise(cells, performance.now() - started),
      cells,
      observations: notableObservations(cells),
      pki: { keyType: prepared.pki.keyType, dir: prepared.pki.dir ?? null, generated: prepared.generated },
      scenario: prepared.scenario ?? null,
      target: null,
    };
  } finally {
    await prepared.dispose();
  }
}

interface RawMatrixOptions extends RawOwnOptions {
  target?: string;
  expectMode?: string;
  expectForgives?: string;
  serverCa?: string;
  servername?: string;
  wait?: string;
  targetChecksCrl?: boolean;
  targetNoCrl?: boolean;
  targetTrustsIntermediate?: boolean;
  targetTrustsRootOnly?: boolean;
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
  /** `--report FORMAT=FILE`, repeatable. */
  report?: string[];
  verbose?: boolean;
  engine?: string;
}

function parseTargetOptions(raw: RawMatrixOptions): TargetOptions | undefined {
  const targetOnly = [
    raw.expectMode && '--expect-mode',
    raw.expectForgives && '--expect-forgives',
    raw.serverCa && '--server-ca',
    raw.servername && '--servername',
    raw.wait && '--wait',
    raw.targetChecksCrl && '--target-checks-crl',
    raw.targetNoCrl && '--target-no-crl',
    raw.targetTrustsIntermediate && '--target-trusts-intermediate',
    raw.targetTrustsRootOnly && '--target-trusts-root-only',
  ].filter(Boolean);
  if (!raw.target) {
    if (targetOnly.length > 0) throw new UsageError(`${targetOnly.join(', ')}: only with --target.`);
    return undefined;
  }
  if (raw.modes)
    throw new UsageError('--modes does not apply to --target: use --expect-mode to state its mode.');
  if (!raw.crl) throw new UsageError('--no-crl does not apply to --target: use --target-no-crl.');
  if (raw.targetChecksCrl && raw.targetNoCrl) {
    throw new UsageError('--target-checks-crl and --target-no-crl contradict each other.');
  }
  if (raw.targetTrustsIntermediate && raw.targetTrustsRootOnly)
    throw new UsageError('--target-trusts-intermediate and --target-trusts-root-only contradict each other.');
  if (raw.expectForgives && !raw.expectMode)
    throw new UsageError('--expect-forgives needs --expect-mode: it says what that mode lets through.');
  return {
    address: raw.target,
    expect: raw.expectMode ? expectedBehaviour(raw.expectMode, raw.expectForgives) : undefined,
    serverCaFile: raw.serverCa,
    servername: raw.servername,
    waitSeconds: raw.wait ? parseSeconds(raw.wait, '--wait') / 1000 : undefined,
    checksCrl: raw.targetChecksCrl ? true : raw.targetNoCrl ? false : undefined,
    trustsIntermediate: raw.targetTrustsIntermediate ? true : raw.targetTrustsRootOnly ? false : undefined,
  };
}

/** --expect-mode (any spelling; a forgiving alias brings its forgives) plus --expect-forgives. */
function expectedBehaviour(mode: string, forgives: string | undefined): Behaviour {
  const named = resolveBehaviour(mode, '--expect-mode');
  if (forgives === undefined) return named;
  const extra = forgives.trim().toLowerCase() === 'none' ? [] : parseForgives(forgives, '--expect-forgives');
  if (extra.length > 0 && !MODE_PROMISES[named.mode].verifies)
    throw new UsageError(
      `--expect-forgives: ${named.mode} verifies nothing, so there is nothing to forgive.`,
    );
  return { mode: named.mode, forgives: sortForgives([...named.forgives, ...extra]) };
}

export function parseMatrixOptions(scenario: string | undefined, raw: RawMatrixOptions): MatrixOptions {
  if (scenario && raw.pki) {
    throw new UsageError('--pki cannot be combined with a scenario: the scenario names its PKI.');
  }
  if (scenario && raw.target) throw new UsageError('--target cannot be combined with a scenario.');
  if (raw.engine && raw.target)
    throw new UsageError('--engine does not apply to --target: you run that server.');
  return {
    scenario,
    target: parseTargetOptions(raw),
    pkiDir: raw.pki,
    keyType: parseChoice(raw.keyType, KEY_TYPES, '--key-type'),
    filters: {
      modes: raw.modes
        ? parseChoiceList(raw.modes, MODES, '--modes', findMode, `a mode or any alias: ${modeNamesHelp()}`)
        : undefined,
      identities: raw.identities
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean),
      protocols: raw.protocols
        ? parseChoiceList(raw.protocols, PROTOCOLS, '--protocols', findProtocol, PROTOCOL_HELP)
        : undefined,
      tls: raw.tls
        ? parseChoiceList(raw.tls, TLS_VERSIONS, '--tls', findTlsVersion, TLS_VERSION_HELP)
        : undefined,
      checkCrl: raw.crl ? undefined : false,
    },
    engines: raw.engine ? parseEngines(raw.engine) : undefined,
    own: parseOwnOptions(raw, scenario),
    concurrency: parsePositiveInt(raw.concurrency, '--concurrency', 1024),
    timeoutMs: parseSeconds(raw.timeout, '--timeout'),
  };
}

/** `--engine node,nginx` or `all`: in the registry's order, each once. */
function parseEngines(value: string): Engine[] {
  if (value.trim().toLowerCase() === 'all') return [...ENGINES];
  return parseChoiceList(value.toLowerCase(), ENGINES, '--engine');
}

/** What `mtls-lab matrix` does (declared in ./declare/). */
export async function matrixAction(
  ctx: CliContext,
  scenario: string | undefined,
  raw: RawMatrixOptions,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<void> {
  const options = parseMatrixOptions(scenario, raw);
  // Bad report arguments are bad usage, found before anything runs.
  const reports = parseReports(raw.report, {
    format: raw.format,
    ...(raw.output !== undefined ? { output: raw.output } : {}),
    formatGiven: command?.getOptionValueSource('format') === 'cli',
  });
  const result = await withProgress(ctx.io, 'cells', (onProgress) =>
    matrixCommand({
      ...options,
      signal: ctx.signal,
      onProgress,
      // With --verbose, say when the servers are up: a script (or a test) can wait for it.
      ...(raw.verbose
        ? { onStarted: (servers: number) => ctx.io.note(`mtls-lab matrix: ${servers} servers started`) }
        : {}),
    }),
  );
  await emitReports(ctx.io, result, reports, raw.verbose);
  const problem = notGreen(result.summary, result.problems);
  // A table on stdout ends with the same line; otherwise say it on stderr.
  if (problem !== null && !reports.some((report) => report.format === 'table' && report.path === '-'))
    ctx.io.note(ctx.io.e.red(`not green: ${problem}`));
  ctx.setExitCode(problem === null ? 0 : 1);
}
