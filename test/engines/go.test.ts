/**
 * The `go` engine (crypto/tls and net/http, built from engines/go/main.go): all five of Go's
 * tls.ClientAuthType modes over tls, https, h2 and gRPC, both TLS versions, with CRL checks.
 * Every cell meets its expectation, every refusal is crypto/tls's bad_certificate alert, the
 * gRPC health check is answered by hand, and no engine process or folder survives a run, nor
 * anything of the build outside the user's cache folder. (The built binary, building into an
 * empty cache and reusing it: build-cache.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGoBuild, goUnavailable, releaseGoBuild } from '../../src/engines/go-build.js';
import { MODES } from '../../src/modes.js';
import { engineDirsOf } from '../helpers/processes.js';
import { enginePki } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const missing = await goUnavailable();
if (missing) console.log(`go engine tests skipped: ${missing}`);

const IDENTITIES = ['none', 'valid', 'chain', 'untrusted-ca', 'expired', 'wrong-eku', 'revoked'];
/** crypto/tls refuses every client certificate with one alert; TLS 1.3 clients see it on their first read. */
const REFUSAL = {
  '1.2': 'alert bad_certificate in the handshake',
  '1.3': 'alert bad_certificate on the first read',
};

// Held for the whole file, so its servers share one build (from the cache, or a throw-away one
// where the cache cannot be used); released at the end, when no build folder may be left.
beforeAll(async () => {
  if (!missing) await acquireGoBuild();
}, 200_000);
afterAll(async () => {
  if (missing) return;
  await releaseGoBuild();
  expect((await engineDirsOf(process.pid)).filter((dir) => dir.includes('-go-build-'))).toEqual([]);
});

describe.skipIf(missing !== undefined)('go engine', () => {
  it(
    'all five modes meet their expectations over tls, https, h2 and grpc',
    { timeout: 180_000 },
    async () => {
      const cells = await judgeEngine('go', await enginePki(), {
        identities: IDENTITIES,
        protocols: ['tls', 'https', 'h2', 'grpc'],
      });
      expect(cells.filter((cell) => cell.skipped !== undefined || cell.notServed !== undefined)).toEqual([]);
      expect(new Set(cells.map((cell) => cell.mode))).toEqual(new Set(MODES));
      // 5 modes × 2 TLS versions, one server each.
      expect(new Set(cells.map((cell) => cell.server)).size).toBe(10);
      for (const cell of cells.filter((c) => c.verdict === 'rejected')) {
        const label = `${cell.server} ${cell.identity} ${cell.protocol}`;
        // Newer Go versions may name a missing certificate under TLS 1.3 certificate_required.
        if (cell.identity === 'none' && cell.tls === '1.3')
          expect(cell.how, label).toMatch(/^alert (bad_certificate|certificate_required) on the first read$/);
        else expect(cell.how, label).toBe(REFUSAL[cell.tls]);
      }
      for (const cell of cells.filter((c) => c.verdict === 'accepted')) {
        const label = `${cell.server} ${cell.identity} ${cell.protocol}`;
        if (cell.protocol === 'grpc') expect(cell.how, label).toBe('gRPC OK (SERVING)');
        if (cell.protocol === 'tls') continue; // the raw client reads the status line only
        const view = cell.serverViews[0];
        expect(view?.alpn, label).toBe(cell.protocol === 'https' ? 'http/1.1' : 'h2');
        expect(view?.tlsVersion, label).toBe(cell.tls === '1.2' ? 'TLSv1.2' : 'TLSv1.3');
        const asked = cell.mode !== 'no_client_certs' && cell.identity !== 'none';
        expect(view?.presented, label).toBe(asked);
        const verifies =
          cell.mode === 'verify_client_cert_if_given' || cell.mode === 'require_and_verify_client_cert';
        if (asked) expect(view?.verified, label).toBe(verifies);
      }
    },
  );

  it('without CRL checks a revoked certificate is accepted', { timeout: 120_000 }, async () => {
    const cells = await judgeEngine('go', await enginePki(), {
      modes: ['require_and_verify_client_cert'],
      identities: ['revoked'],
      protocols: ['https'],
      tls: ['1.3'],
      checkCrl: false,
    });
    expect(cells.map((cell) => [cell.verdict, cell.pass])).toEqual([['accepted', true]]);
  });
});
