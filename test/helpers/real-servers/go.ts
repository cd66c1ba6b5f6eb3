/**
 * A Go crypto/tls HTTPS server (test/fixtures/real-servers/go-tls-server/main.go) in one of
 * the five modes, which are Go's own tls.ClientAuthType values. The source is built on first
 * use (see acquireBuild), offline: standard library only, GOPATH mode, a throw-away GOCACHE,
 * so it works as root in a clean CI clone with no network and no writable home.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Mode } from '../../../src/modes.js';
import { closer, HOST, removeDir, spawnGroup } from './process.js';
import { type RealServer, type TlsChoice, tlsLabel } from './types.js';

export const GO_BINARY = process.env.MTLS_LAB_GO ?? 'go';
const SOURCE_DIR = fileURLToPath(new URL('../../fixtures/real-servers/go-tls-server/', import.meta.url));

export const GO_CLIENT_AUTH: Record<Mode, string> = {
  no_client_certs: 'NoClientCert',
  request_client_cert: 'RequestClientCert',
  require_any_client_cert: 'RequireAnyClientCert',
  verify_client_cert_if_given: 'VerifyClientCertIfGiven',
  require_and_verify_client_cert: 'RequireAndVerifyClientCert',
};

export interface StartGoTlsOptions {
  /** A folder written by writePki(). */
  pkiDir: string;
  mode: Mode;
  tls: TlsChoice;
}

export function goLabel(options: Pick<StartGoTlsOptions, 'mode' | 'tls'>): string {
  return `Go crypto/tls ${GO_CLIENT_AUTH[options.mode]}, ${tlsLabel(options.tls)}`;
}

/**
 * The build is shared: made when the first Go fixture starts, removed when the last one
 * closes. (Not at process exit: vitest ends its workers without running 'exit' handlers, which
 * left binaries behind in /tmp.) A test that keeps one fixture open builds once; one that
 * starts and closes them in turn rebuilds, which takes about a second.
 */
let users = 0;
let built: Promise<{ dir: string; binary: string }> | undefined;

async function acquireBuild(): Promise<string> {
  users++;
  try {
    built ??= build().catch((error: unknown) => {
      built = undefined; // a later start may try again
      throw error;
    });
    return (await built).binary;
  } catch (error) {
    await releaseBuild();
    throw error;
  }
}

async function releaseBuild(): Promise<void> {
  users--;
  if (users > 0 || !built) return;
  const done = built;
  built = undefined;
  const result = await done.catch(() => undefined);
  await removeDir(result?.dir);
}

async function build(): Promise<{ dir: string; binary: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-fixture-go-'));
  const binary = join(dir, 'go-tls-server');
  // The distribution's precompiled standard library is built with cgo, so the default build
  // is fast (about a second; with CGO_ENABLED=0 Go rebuilds all of it, ten times slower).
  // Only when that fails (e.g. a C compiler named in CC is missing) is cgo switched off.
  let result = await goBuild(dir, binary, {});
  if (result.exitCode !== 0) result = await goBuild(dir, binary, { CGO_ENABLED: '0' });
  // Only the binary is needed from here on.
  await Promise.all([removeDir(join(dir, 'cache')), removeDir(join(dir, 'gopath'))]);
  if (result.exitCode !== 0) {
    await removeDir(dir);
    throw new Error(`go build of ${SOURCE_DIR} failed: ${result.stderr || result.shortMessage}`);
  }
  return { dir, binary };
}

function goBuild(dir: string, binary: string, extra: Record<string, string>) {
  return execa(GO_BINARY, ['build', '-o', binary, 'main.go'], {
    cwd: SOURCE_DIR,
    reject: false,
    timeout: 180_000,
    env: {
      // GOPATH mode and no proxy: nothing is downloaded, and no go.mod is needed.
      GO111MODULE: 'off',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      GOCACHE: join(dir, 'cache'),
      GOPATH: join(dir, 'gopath'),
      ...extra,
    },
  });
}

export async function startGoTls(options: StartGoTlsOptions): Promise<RealServer> {
  const label = goLabel(options);
  const binary = await acquireBuild();
  // From here on, every way out releases the build: close() or the catch below.
  const child = spawnGroup(binary, [
    '-mode',
    GO_CLIENT_AUTH[options.mode],
    '-cert',
    join(options.pkiDir, 'server/server-chain.pem'),
    '-key',
    join(options.pkiDir, 'server/server.key'),
    '-ca',
    join(options.pkiDir, 'ca/root.crt'),
    '-tls',
    options.tls,
  ]);
  try {
    // Port 0: the server tells its port, so there is no race and nothing to retry.
    const match = await child.waitFor('stdout', /^LISTENING (\d+)$/m, label);
    return {
      kind: 'go',
      label,
      host: HOST,
      port: Number(match[1]),
      pid: child.pid,
      close: closer({ child, release: releaseBuild }),
    };
  } catch (error) {
    await child.stop();
    await releaseBuild();
    throw error;
  }
}
