/**
 * The `go` engine: Go's crypto/tls (the stack of RoadRunner and Runway) in a small net/http
 * server built from engines/go/main.go (go-build.ts). The five modes are Go's own
 * tls.ClientAuthType values, the names mtls-lab's modes come from. One port serves `tls` (the
 * raw client's HTTP/1.1 GET), `https` and `h2` by ALPN, and `grpc`: a health check answered by
 * hand over HTTP/2 (SERVING, grpc-status 0).
 *
 * CRLs: crypto/tls checks none. The server checks the verified chain against the PKI's CRLs
 * itself, in VerifyPeerCertificate: a certificate listed by its issuer, or an issuer without
 * a current CRL, is refused (with bad_certificate, as crypto/tls refuses any certificate).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Mode, resolveMode } from '../modes.js';
import { viewFromJson } from './json-view.js';
import { startProgramServer } from './program.js';
import { acquireGoBuild, GO_BINARY, goUnavailable, releaseGoBuild } from './go-build.js';
import { allModes, type EngineDriver, type EngineServer, type EngineStartOptions } from './types.js';

export const GO_CLIENT_AUTH: Record<Mode, string> = {
  no_client_certs: 'NoClientCert',
  request_client_cert: 'RequestClientCert',
  require_any_client_cert: 'RequireAnyClientCert',
  verify_client_cert_if_given: 'VerifyClientCertIfGiven',
  require_and_verify_client_cert: 'RequireAndVerifyClientCert',
};

export const go = {
  name: 'go',
  title: "Go's crypto/tls and net/http (tls.Config.ClientAuth), built from source",
  program: GO_BINARY,
  package: 'golang-go',
  modes: allModes((mode) => `tls.Config{ClientAuth: tls.${GO_CLIENT_AUTH[mode]}}`),
  protocols: { tls: true, https: true, h2: true, grpc: true },
  crl: true,
  deviations: [],
  viewFromAnswer: (answer) => viewFromJson(answer, 'go'),
  unavailable: () => goUnavailable(),
  start: (options) => startGoServer(options),
} as const satisfies EngineDriver<'go'>;

/** The server's command line after the binary. */
export function goServerArgs(
  mode: Mode,
  tls: EngineStartOptions['tls'] | 'both',
  files: { cert: string; key: string; ca: string; crl?: string },
  address: string,
): string[] {
  return [
    '-mode',
    GO_CLIENT_AUTH[mode],
    '-cert',
    files.cert,
    '-key',
    files.key,
    '-ca',
    files.ca,
    ...(files.crl ? ['-crl', files.crl] : []),
    '-tls',
    tls,
    '-addr',
    address,
  ];
}

export async function startGoServer(options: EngineStartOptions): Promise<EngineServer> {
  const mode = resolveMode(options.mode);
  const binary = await acquireGoBuild();
  // From here on, every way out releases the build: close() or the catch below.
  let server: EngineServer;
  try {
    // What crypto/tls saw is in each answer (viewFromAnswer), not kept per connection.
    server = await startProgramServer(options, {
      engine: 'go',
      what: `the Go server (${GO_CLIENT_AUTH[mode]})`,
      prepare: async (dir, host, port) => {
        const { pki } = options;
        const crl = options.checkCrl && pki.crl ? pki.crl : '';
        const files = {
          cert: join(dir, 'server-chain.pem'),
          key: join(dir, 'server.key'),
          ca: join(dir, 'client-ca.pem'),
        };
        await Promise.all([
          writeFile(files.cert, pki.server.chain ?? pki.server.cert),
          writeFile(files.key, pki.server.key, { mode: 0o600 }),
          writeFile(files.ca, pki.clientCa),
          ...(crl ? [writeFile(join(dir, 'crl.pem'), crl)] : []),
        ]);
        const withCrl = crl ? { ...files, crl: join(dir, 'crl.pem') } : files;
        return { command: binary, args: goServerArgs(mode, options.tls, withCrl, `${host}:${port}`) };
      },
      readyLine: /^LISTENING \d+$/m,
      portInUse: /address already in use/i,
    });
  } catch (error) {
    await releaseGoBuild();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= server.close().finally(() => releaseGoBuild()));
  return { ...server, close, [Symbol.asyncDispose]: close };
}
