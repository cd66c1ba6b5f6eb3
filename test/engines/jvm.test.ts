/**
 * The `jvm` engine (JSSE through the JDK's HttpsServer): its three modes over tls and https,
 * both TLS versions, with CRL checks. Every cell meets its expectation, the two modes JSSE
 * cannot express are skipped with the reason, refusals are where JSSE makes them, and no
 * engine process or folder survives a run. (The built binary, compiling into an empty cache and
 * reusing it: build-cache.e2e.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { jvmUnavailable } from '../../src/engines/jvm.js';
import type { CellResult } from '../../src/matrix/types.js';
import { enginePki } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const missing = await jvmUnavailable();
if (missing) console.log(`jvm engine tests skipped: ${missing}`);

const IDENTITIES = ['none', 'valid', 'chain', 'untrusted-ca', 'expired', 'wrong-eku', 'revoked'];

/** The HttpsServer drops a refused client without sending JSSE's alert. */
const REFUSAL = {
  '1.2': 'closed during the handshake (no alert)',
  '1.3': 'closed after the handshake, no answer',
};

describe.skipIf(missing !== undefined)('jvm engine', () => {
  it(
    'every mode it expresses meets its expectation over tls and https; the others say why',
    { timeout: 180_000 },
    async () => {
      const cells = await judgeEngine('jvm', await enginePki(), {
        identities: IDENTITIES,
        protocols: ['tls', 'https'],
      });
      const ran = cells.filter((cell) => cell.skipped === undefined);
      expect(new Set(ran.map((cell) => cell.mode))).toEqual(
        new Set(['no_client_certs', 'verify_client_cert_if_given', 'require_and_verify_client_cert']),
      );
      const skipped = (mode: string) =>
        new Set(cells.filter((cell) => cell.mode === mode).map((cell) => cell.skipped));
      expect(skipped('request_client_cert')).toEqual(
        new Set([
          expect.stringMatching(/JSSE has no request-without-verify mode: setWantClientAuth verifies/),
        ]),
      );
      expect(skipped('require_any_client_cert')).toEqual(
        new Set([expect.stringMatching(/JSSE has no require-any mode: setNeedClientAuth verifies/)]),
      );
      for (const cell of ran.filter((c) => c.verdict === 'rejected' && c.identity !== 'wrong-server-trust'))
        expect(cell.how, `${cell.server} ${cell.identity} ${cell.protocol}`).toBe(REFUSAL[cell.tls]);
      expectAccepted(ran);
      // 3 modes × 2 TLS versions, one JVM each.
      expect(new Set(ran.map((cell) => cell.server)).size).toBe(6);
    },
  );

  it('without CRL checks a revoked certificate is accepted', { timeout: 120_000 }, async () => {
    const cells = await judgeEngine('jvm', await enginePki(), {
      modes: ['require_and_verify_client_cert'],
      identities: ['revoked'],
      protocols: ['https'],
      tls: ['1.3'],
      checkCrl: false,
    });
    expect(cells.map((cell) => [cell.verdict, cell.pass])).toEqual([['accepted', true]]);
  });
});

/** What JSSE saw, read back from each accepted https answer. */
function expectAccepted(cells: readonly CellResult[]) {
  for (const cell of cells.filter((c) => c.verdict === 'accepted' && c.protocol === 'https')) {
    const view = cell.serverViews[0];
    const label = `${cell.server} ${cell.identity}`;
    expect(view?.tlsVersion, label).toBe(cell.tls === '1.2' ? 'TLSv1.2' : 'TLSv1.3');
    const asked = cell.mode !== 'no_client_certs' && cell.identity !== 'none';
    expect(view?.presented, label).toBe(asked);
    if (asked) expect(view?.subject, label).toMatch(new RegExp(`CN=${cell.identity}\\b`));
  }
}
