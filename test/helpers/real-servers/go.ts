/**
 * A Go crypto/tls HTTPS server in one of the five modes, which are Go's own tls.ClientAuthType
 * values: the `go` engine's engines/go/main.go, as the engine builds it (src/engines/go-build.ts:
 * offline, standard library only, kept in the user's build cache, so built once per source and
 * toolchain).
 */
import { join } from 'node:path';
import { GO_CLIENT_AUTH } from '../../../src/engines/go.js';
import { acquireGoBuild, GO_BINARY, releaseGoBuild } from '../../../src/engines/go-build.js';
import type { Mode } from '../../../src/modes.js';
import { closer, HOST, spawnGroup } from './process.js';
import { type RealServer, type TlsChoice, tlsLabel } from './types.js';

export { GO_BINARY, GO_CLIENT_AUTH };

export interface StartGoTlsOptions {
  /** A folder written by writePki(). */
  pkiDir: string;
  mode: Mode;
  tls: TlsChoice;
}

export function goLabel(options: Pick<StartGoTlsOptions, 'mode' | 'tls'>): string {
  return `Go crypto/tls ${GO_CLIENT_AUTH[options.mode]}, ${tlsLabel(options.tls)}`;
}

export async function startGoTls(options: StartGoTlsOptions): Promise<RealServer> {
  const label = goLabel(options);
  const binary = await acquireGoBuild();
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
    // Port 0 (the default -addr): the server tells its port, so there is no race and nothing to retry.
    const match = await child.waitFor('stdout', /^LISTENING (\d+)$/m, label);
    return {
      kind: 'go',
      label,
      host: HOST,
      port: Number(match[1]),
      pid: child.pid,
      close: closer({ child, release: releaseGoBuild }),
    };
  } catch (error) {
    await child.stop();
    await releaseGoBuild();
    throw error;
  }
}
