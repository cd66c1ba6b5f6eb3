/**
 * The `openssl` engine: `openssl s_server` in each client-auth mode, so its behaviour can be
 * compared with Node's. s_server maps the five modes exactly:
 *
 * | mode                           | flags                             | s_server's verify callback      |
 * |--------------------------------|-----------------------------------|---------------------------------|
 * | no_client_certs                | (none)                            | no CertificateRequest           |
 * | request_client_cert            | -verify N                         | asks; continues on any error    |
 * | require_any_client_cert        | -Verify N                         | fails only when none is sent    |
 * | verify_client_cert_if_given    | -verify N -verify_return_error    | verifies what is sent           |
 * | require_and_verify_client_cert | -Verify N -verify_return_error    | requires and verifies           |
 *
 * N is the verify depth; s_server's callback fails an error found deeper than N even without
 * -verify_return_error, so N is generous to keep the non-verifying modes accepting anything.
 *
 * CRLs: `-CRL` takes one CRL only, but a PEM `-CAfile` may also hold CRLs (OpenSSL loads
 * certificates and CRLs from it), so the client CA file carries every CRL and `-crl_check_all`
 * checks the leaf and the intermediates.
 *
 * Each process runs under a supervisor (supervised.ts) in its own marked folder.
 *
 * s_server serves one way per process: `-www` answers an HTTP GET with a status page (for the
 * `https` protocol) but never answers a bare line, and `-rev` echoes each line reversed (for
 * `tls`: "hello" comes back as "olleh"). So one logical server is two processes, one port per
 * protocol. It speaks no HTTP/2, so `h2` and `grpc` are not served.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from '../exec.js';
import { type Mode, resolveMode } from '../modes.js';
import { type ServerCredentials, serverUrl } from '../servers/server.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { allModes, type EngineDriver, type EngineServer } from './types.js';
import { type ExternalProcess, startExternal } from './external.js';

export const OPENSSL_BINARY = process.env.MTLS_LAB_OPENSSL ?? 'openssl';

const VERIFY_DEPTH = '10';

const MODE_FLAGS: Record<Mode, readonly string[]> = {
  no_client_certs: [],
  request_client_cert: ['-verify', VERIFY_DEPTH],
  require_any_client_cert: ['-Verify', VERIFY_DEPTH],
  verify_client_cert_if_given: ['-verify', VERIFY_DEPTH, '-verify_return_error'],
  require_and_verify_client_cert: ['-Verify', VERIFY_DEPTH, '-verify_return_error'],
};

/** The `openssl` engine as data: every mode exactly, tls and https, CRLs, no deviation. */
export const openssl = {
  name: 'openssl',
  title: 'openssl s_server (-rev for tls, -www for https)',
  program: OPENSSL_BINARY,
  package: 'openssl',
  modes: allModes((mode) => ['s_server', ...MODE_FLAGS[mode]].join(' ')),
  protocols: {
    tls: true,
    https: true,
    h2: 'openssl s_server speaks no HTTP/2',
    grpc: 'openssl s_server speaks no HTTP/2, so no gRPC either',
  },
  crl: true,
  deviations: [],
  unavailable: async () => {
    const found = await opensslAvailable();
    return found.ok ? undefined : `${found.reason} (apt-get install openssl)`;
  },
  start: (options) => startOpensslServer(options),
} as const satisfies EngineDriver<'openssl'>;

export type OpensslAvailability = { ok: true; version: string } | { ok: false; reason: string };

let availability: Promise<OpensslAvailability> | undefined;

/** Whether `openssl` can be run here; asked once per process. */
export function opensslAvailable(): Promise<OpensslAvailability> {
  availability ??= runProgram(OPENSSL_BINARY, ['version'], { timeout: 10_000 }).then(
    (result): OpensslAvailability => {
      if (result.exitCode === 0 && result.stdout.startsWith('OpenSSL'))
        return { ok: true, version: result.stdout.trim() };
      const why =
        result.code === 'ENOENT'
          ? 'not installed (not found on PATH)'
          : (`${result.stderr || result.shortMessage || ''}`.trim().split('\n')[0] ?? '');
      return { ok: false, reason: `openssl is not available: ${OPENSSL_BINARY} ${why}` };
    },
  );
  return availability;
}

export interface StartOpensslServerOptions {
  mode: Mode | string;
  pki: ServerCredentials;
  tls: TlsVersion;
  /** Check client certificates against the PKI's CRLs. */
  checkCrl: boolean;
  signal?: AbortSignal;
}

/** The command-line flags for one mode, TLS version and way of serving (without -accept). */
export function sServerArgs(
  mode: Mode,
  tls: TlsVersion,
  checkCrl: boolean,
  files: { cert: string; key: string; chain?: string; ca: string },
  serve: '-www' | '-rev',
): string[] {
  return [
    '-cert',
    files.cert,
    '-key',
    files.key,
    ...(files.chain ? ['-cert_chain', files.chain] : []),
    '-CAfile',
    files.ca,
    ...MODE_FLAGS[mode],
    ...(checkCrl ? ['-crl_check_all'] : []),
    tls === '1.2' ? '-tls1_2' : '-tls1_3',
    serve,
  ];
}

/** The whole s_server command line (after the program's name): pure, so it can be printed as it was run. */
export function sServerCommand(
  host: string,
  port: number,
  ...args: Parameters<typeof sServerArgs>
): string[] {
  return ['s_server', '-accept', `${host}:${port}`, ...sServerArgs(...args)];
}

export async function startOpensslServer(options: StartOpensslServerOptions): Promise<EngineServer> {
  const mode = resolveMode(options.mode);
  const host = '127.0.0.1';
  const processes: ExternalProcess[] = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.allSettled(processes.map((child) => child.process.stop())).then(() => undefined);
    return closing;
  };
  try {
    // One folder per process: a start retried on another port begins again in a fresh one.
    const [rev, www] = await Promise.all(
      (['-rev', '-www'] as const).map(async (serve) => {
        const child = await startExternal({
          engine: 'openssl',
          what: `openssl s_server ${serve}`,
          host,
          prepare: async (dir, port) => {
            const files = await writeMaterial(dir, options.pki, options.checkCrl);
            const args = sServerCommand(host, port, mode, options.tls, options.checkCrl, files, serve);
            return { command: OPENSSL_BINARY, args };
          },
          readyLine: /^ACCEPT$/m,
          portInUse: /address already in use/i,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        processes.push(child);
        return child;
      }),
    );
    const ports: Partial<Record<Protocol, number>> = { tls: rev!.port, https: www!.port };
    return {
      engine: 'openssl',
      host,
      port: www!.port,
      url: serverUrl(host, www!.port),
      mode,
      portFor: (protocol) => ports[protocol] ?? www!.port,
      pids: () => processes.map((child) => child.process.pid),
      dirs: () => processes.map((child) => child.dir),
      // s_server's view of a connection is free text on stderr: nothing is recorded per connection.
      views: () => [],
      close,
      [Symbol.asyncDispose]: close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function writeMaterial(dir: string, pki: ServerCredentials, checkCrl: boolean) {
  const files = {
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
    ca: join(dir, 'client-ca.pem'),
  };
  const chain =
    pki.server.chain && pki.server.chain.trim() !== pki.server.cert.trim() ? pki.server.chain : '';
  const crl = checkCrl && pki.crl ? pki.crl : '';
  await Promise.all([
    writeFile(files.cert, pki.server.cert),
    writeFile(files.key, pki.server.key, { mode: 0o600 }),
    writeFile(files.ca, `${pki.clientCa.trim()}\n${crl}`),
    ...(chain ? [writeFile(join(dir, 'server-chain.pem'), chain)] : []),
  ]);
  return chain ? { ...files, chain: join(dir, 'server-chain.pem') } : files;
}
