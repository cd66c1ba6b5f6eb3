/**
 * The `go` engine (crypto/tls and net/http, built from engines/go/main.go): all five of Go's
 * tls.ClientAuthType modes over tls, https, h2 and gRPC, both TLS versions, with CRL checks.
 * Every cell meets its expectation, every refusal is crypto/tls's bad_certificate alert, the
 * gRPC health check is answered by hand, and no engine process or folder survives a run, in
 * process (one build for the whole file) and through the built binary (its own build).
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { matrixCommand } from '../../src/commands/matrix.js';
import { go } from '../../src/engines/go.js';
import { acquireGoBuild, goUnavailable, releaseGoBuild } from '../../src/engines/go-build.js';
import { MODES } from '../../src/modes.js';
import { leftovers, recordStarts, runBinaryWatched, unmet } from '../helpers/engine-runs.js';

const missing = await goUnavailable();
if (missing) console.log(`go engine tests skipped: ${missing}`);

const IDENTITIES = ['none', 'valid', 'chain', 'untrusted-ca', 'expired', 'wrong-eku', 'revoked'];
/** crypto/tls refuses every client certificate with one alert; TLS 1.3 clients see it on their first read. */
const REFUSAL = {
  '1.2': 'alert bad_certificate in the handshake',
  '1.3': 'alert bad_certificate on the first read',
};

const run = (filters: Parameters<typeof matrixCommand>[0]['filters']) =>
  matrixCommand({ engines: ['go'], keyType: 'ecdsa-p256', filters, concurrency: 16, timeoutMs: 10_000 });

// Held for the whole file, so its servers share one build; released (and removed) at the end.
let buildDir: string | undefined;
beforeAll(async () => {
  if (!missing) buildDir = dirname(await acquireGoBuild());
}, 200_000);
afterAll(async () => {
  if (!buildDir) return;
  await releaseGoBuild();
  expect(existsSync(buildDir)).toBe(false);
});

const recorder = { current: undefined as ReturnType<typeof recordStarts> | undefined };
afterEach(() => recorder.current?.restore());

function expectNothingLeft(started: ReturnType<typeof recordStarts>) {
  expect(started.count()).toBeGreaterThan(0);
  expect(leftovers(started.dirs(), started.pids())).toEqual({ processes: [], dirs: [] });
}

describe.skipIf(missing !== undefined)('go engine', () => {
  it(
    'all five modes meet their expectations over tls, https, h2 and grpc',
    { timeout: 180_000 },
    async () => {
      const started = (recorder.current = recordStarts(go));
      const result = await run({ identities: IDENTITIES, tls: ['1.2', '1.3'] });
      expect(unmet(result.cells)).toEqual([]);
      expect(
        result.cells.filter((cell) => cell.skipped !== undefined || cell.notServed !== undefined),
      ).toEqual([]);
      expect(new Set(result.cells.map((cell) => cell.mode))).toEqual(new Set(MODES));
      for (const cell of result.cells.filter((c) => c.verdict === 'rejected')) {
        const label = `${cell.server} ${cell.identity} ${cell.protocol}`;
        // Newer Go versions may name a missing certificate under TLS 1.3 certificate_required.
        if (cell.identity === 'none' && cell.tls === '1.3')
          expect(cell.how, label).toMatch(/^alert (bad_certificate|certificate_required) on the first read$/);
        else expect(cell.how, label).toBe(REFUSAL[cell.tls]);
      }
      for (const cell of result.cells.filter((c) => c.verdict === 'accepted')) {
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
      expect(started.count()).toBe(10);
      expectNothingLeft(started);
    },
  );

  it('without CRL checks a revoked certificate is accepted', { timeout: 120_000 }, async () => {
    const started = (recorder.current = recordStarts(go));
    const result = await run({
      modes: ['require_and_verify_client_cert'],
      identities: ['revoked'],
      protocols: ['https'],
      tls: ['1.3'],
      checkCrl: false,
    });
    expect(result.cells.map((cell) => [cell.verdict, cell.pass])).toEqual([['accepted', true]]);
    expectNothingLeft(started);
  });

  it('the built binary builds and runs it and leaves nothing behind', { timeout: 200_000 }, async () => {
    const cli = await runBinaryWatched([
      'matrix',
      '--engine',
      'go',
      '--modes',
      'require_any_client_cert,require_and_verify_client_cert',
      '--identities',
      'none,valid,self-signed',
      '--protocols',
      'https,grpc',
      '--tls',
      '1.3',
      '--format',
      'json',
    ]);
    expect(cli.exitCode, cli.stderr).toBe(0);
    const cells = (JSON.parse(cli.stdout) as { cells: { pass: boolean | null }[] }).cells;
    expect(cells.length).toBe(12);
    expect(cells.every((cell) => cell.pass === true)).toBe(true);
    // Two servers, and the build folder of each thread that started one.
    expect(cli.dirs.filter((dir) => /mtls-lab-engine-go-(?!build)/.test(dir)).length).toBe(2);
    expect(cli.pids.length).toBeGreaterThan(0);
    expect(leftovers(cli.dirs, cli.pids)).toEqual({ processes: [], dirs: [] });
  });
});
