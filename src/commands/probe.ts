/**
 * `mtls-lab probe HOST:PORT`: which client-auth mode does this server implement? Exit code 0
 * when a mode or at least its class was determined, 1 when it could not tell, 2 for bad usage
 * or an unreachable server.
 */
import type { CliContext } from '../cli.js';
import type { Output } from '../output.js';
import { loadPki } from '../pki/load.js';
import { parseTarget } from '../remote/parse.js';
import { type ProbeReport, probeTarget } from '../remote/probe.js';
import { readServerCa } from '../remote/server-ca.js';
import { parseSeconds } from './options.js';
import { type OwnIdentityOptions, parseOwnOptions, type RawOwnOptions } from './own-identities.js';

export interface ProbeCommandOptions {
  target: string;
  pkiDir?: string;
  serverCaFile?: string;
  servername?: string;
  timeoutMs: number;
  waitSeconds?: number;
  signal?: AbortSignal;
  /** The openssl binary; default `openssl`. */
  openssl?: string;
  /** Identities the user brings, and what the server trusts. */
  own?: OwnIdentityOptions;
}

export { DEFAULT_PROBE_TIMEOUT_MS } from './declare/defaults.js';

export async function probeCommand(options: ProbeCommandOptions): Promise<ProbeReport> {
  const target = parseTarget(options.target, 'probe');
  const ownModule = options.own ? await import('./own-identities.js') : undefined;
  const own = options.own ? await ownModule!.readOwn(options.own) : undefined;
  const [pki, serverCa] = await Promise.all([
    options.pkiDir ? loadPki(options.pkiDir) : undefined,
    options.serverCaFile ? readServerCa(options.serverCaFile) : undefined,
  ]);
  return probeTarget({
    target,
    ...(options.servername ? { servername: options.servername } : {}),
    ...(serverCa ? { serverCaPem: serverCa.pem, serverCaSource: serverCa.source } : {}),
    ...(pki ? { pki } : {}),
    timeoutMs: options.timeoutMs,
    waitSeconds: options.waitSeconds,
    signal: options.signal,
    openssl: options.openssl,
    ...(own ? { withOwn: (base, trusted) => ownModule!.ownForTarget(base, own, trusted) } : {}),
  });
}

export function probeExitCode(report: Pick<ProbeReport, 'mode' | 'class'>): number {
  return report.mode !== null || report.class !== null ? 0 : 1;
}

export function renderProbe(report: ProbeReport, io: Output): void {
  const { c } = io;
  const sure =
    report.confidence === 'certain'
      ? c.green(report.confidence)
      : report.confidence === 'likely'
        ? c.yellow(report.confidence)
        : c.red(report.confidence);
  const conclusion = report.mode ? c.cyan(c.bold(report.mode)) : c.red('no mode determined');
  io.line(`${c.bold(report.target)}: ${conclusion} (${sure})`);
  if (report.forgives !== null)
    io.line(
      `  forgives: ${report.forgives.length > 0 ? c.yellow(report.forgives.join(', ')) : c.dim('nothing')}`,
    );
  io.line(`  class: ${report.class ?? c.dim('unknown')}`);
  io.line(
    report.tls_versions.length > 0
      ? `  probed over TLS ${report.tls_versions.join(' and ')}, ${report.protocols.join(' and ')}, one attempt at a time`
      : `  ${c.red('the server completed no TLS handshake')}`,
  );
  io.line(c.bold('  evidence'));
  for (const line of report.evidence) io.line(`    - ${line}`);
  for (const note of report.notes) io.line(`  ${c.dim('note:')} ${note}`);
}

interface RawProbeOptions extends RawOwnOptions {
  pki?: string;
  serverCa?: string;
  servername?: string;
  json?: boolean;
  timeout: string;
  wait?: string;
}

/** What `mtls-lab probe` does (declared in ./declare/). */
export async function probeAction(ctx: CliContext, targetText: string, raw: RawProbeOptions): Promise<void> {
  const report = await probeCommand({
    target: targetText,
    pkiDir: raw.pki,
    serverCaFile: raw.serverCa,
    servername: raw.servername,
    timeoutMs: parseSeconds(raw.timeout, '--timeout'),
    waitSeconds: raw.wait === undefined ? undefined : parseSeconds(raw.wait, '--wait') / 1000,
    signal: ctx.signal,
    own: parseOwnOptions(raw),
  });
  if (raw.json) ctx.io.data(`${JSON.stringify(report, null, 2)}\n`);
  else renderProbe(report, ctx.io);
  ctx.setExitCode(probeExitCode(report));
}
