/**
 * A sample of engine cells confirmed by an independent client (curl): what the matrix
 * observed with Node's clients is what curl sees against the same engine server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverOf, type Engine, unavailableReason } from '../../src/engines/registry.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { enginePki } from './engine-fixture.js';

const curl = await execa('curl', ['--version'], { reject: false });
const ENGINES: Engine[] = ['nginx', 'caddy', 'haproxy', 'apache', 'jvm', 'go'];
const missing = new Map(
  await Promise.all(
    ENGINES.map(
      async (engine) =>
        [engine, curl.exitCode === 0 ? await unavailableReason(engine) : 'curl is not installed'] as const,
    ),
  ),
);

let pki: PkiMaterial;
let dir: string;
beforeAll(async () => {
  pki = await enginePki();
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-curl-'));
  await writeFile(join(dir, 'ca.pem'), pki.serverCa);
  for (const name of ['valid', 'untrusted-ca']) {
    const identity = pki.identities.find((candidate) => candidate.name === name)!;
    await writeFile(join(dir, `${name}.pem`), identity.chain!);
    await writeFile(join(dir, `${name}.key`), identity.key!, { mode: 0o600 });
  }
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** curl's exit code and HTTP status (000 when no answer) for one identity. */
async function curlAs(port: number, identity?: string) {
  const result = await execa(
    'curl',
    [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--max-time',
      '10',
      '--tlsv1.3',
      '--http1.1',
      '--cacert',
      join(dir, 'ca.pem'),
      ...(identity ? ['--cert', join(dir, `${identity}.pem`), '--key', join(dir, `${identity}.key`)] : []),
      `https://127.0.0.1:${port}/`,
    ],
    { reject: false },
  );
  return { exit: result.exitCode, status: String(result.stdout) };
}

/**
 * What the matrix saw with Node's clients, as curl shows it: the HTTP 400 of nginx, an alert,
 * or (the JDK's HttpsServer) a close without one.
 */
type Refusal = { exit: number; status: string } | 'alert' | 'close';
const REFUSED: Record<Engine, Refusal> = {
  nginx: { exit: 0, status: '400' },
  caddy: 'alert',
  haproxy: 'alert',
  apache: 'alert',
  jvm: 'close',
  go: 'alert',
} as Record<Engine, Refusal>;

describe.each(ENGINES)('%s, require_and_verify_client_cert over TLS 1.3, seen by curl', (engine) => {
  it.skipIf(missing.get(engine) !== undefined)(
    `accepts valid, refuses untrusted-ca and none as the matrix saw (${missing.get(engine) ?? 'installed'})`,
    { timeout: 60_000 },
    async () => {
      const server = await driverOf(engine).start({
        mode: 'require_and_verify_client_cert',
        tls: '1.3',
        checkCrl: true,
        pki,
      });
      try {
        expect(await curlAs(server.port, 'valid')).toEqual({ exit: 0, status: '200' });
        for (const identity of ['untrusted-ca', undefined]) {
          const seen = await curlAs(server.port, identity);
          const refused = REFUSED[engine];
          if (refused === 'alert' || refused === 'close') {
            // Refused in TLS: no HTTP status, and curl fails in the handshake (35) or on the
            // connection right after it (55 sending, 56 receiving: TLS 1.3's late alert; 52:
            // closed with nothing sent back).
            const exits = refused === 'alert' ? [35, 55, 56] : [35, 52, 55, 56];
            expect(exits, `${identity ?? 'none'}: exit ${seen.exit}`).toContain(seen.exit);
            expect(seen.status).toBe('000');
          } else expect(seen, identity ?? 'none').toEqual(refused);
        }
      } finally {
        await server.close();
      }
    },
  );
});
