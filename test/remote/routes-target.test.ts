/**
 * A per-route gateway as a scenario target: a real routed listener (Runway's client_mtls per
 * route, with its own CA pools) that this test starts, described by a scenario file, and
 * checked route by route — through the command function and the command line. A scenario that
 * misstates one route fails, and says what that route behaves as.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrixCommand } from '../../src/commands/matrix.js';
import { notGreen } from '../../src/matrix/summary.js';
import { loadPki } from '../../src/pki/load.js';
import { writePki } from '../../src/pki/write.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import type { TlsVersion } from '../../src/servers/types.js';
import { runMain } from '../helpers/cli.js';
import { sharedPki } from '../helpers/shared-pki.js';
import { explain } from './real/judge-real.js';

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-routes-target-'));
  await writePki(await sharedPki(), join(dir, 'pki'));
  const pki = await loadPki(join(dir, 'pki'));
  server = await startServer({
    mode: 'request',
    pki,
    routes: [
      { name: 'payments', path: '/payments', policy: { mode: 'verify', trust: pki.cas.root.cert } },
      { name: 'internal', path: '/internal', policy: { mode: 'verify', trust: pki.cas.unrelated.cert } },
      {
        name: 'legacy',
        path: '/legacy',
        policy: { mode: 'verify', trust: pki.cas.root.cert, forgives: ['expired'] },
      },
      { name: 'devices', path: '/devices', policy: { mode: 'require' } },
      { name: 'public', path: '/public', policy: null },
    ],
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The gateway as its operator describes it; `devices` as given. */
async function scenario(name: string, devices: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    [
      `name: ${name}`,
      'description: a per-route gateway, checked route by route',
      'pki:',
      '  dir: pki',
      'target:',
      `  url: ${server.url}`,
      '  checks_crl: false',
      '  trusts_intermediate: false',
      '  client_mtls: {client_auth: verify, client_ca: root}',
      '  routes:',
      '    - {name: payments, path: /payments}',
      '    - {name: internal, path: /internal, client_mtls: {client_ca: unrelated}}',
      '    - {name: legacy, path: /legacy, client_mtls: {allow_expired: true}}',
      `    - {name: devices, path: /devices, client_mtls: {client_auth: ${devices}}}`,
      '    - {name: public, path: /public, client_mtls: {enabled: false}}',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * What tells the routes' policies apart: a trusted, an untrusted, an expired and no certificate
 * (verify against root or against unrelated, forgiving expired, require, none), and what the
 * scenario states about CRLs (revoked) and root-only trust (chain-no-intermediate).
 */
const IDENTITIES = [
  'none',
  'valid',
  'untrusted-ca',
  'self-signed',
  'expired',
  'revoked',
  'chain-no-intermediate',
];

const run = (file: string, tls: TlsVersion[]) =>
  matrixCommand({
    scenario: file,
    keyType: 'ecdsa-p256',
    filters: { identities: IDENTITIES, tls },
    concurrency: 16,
    timeoutMs: 8000,
  });

describe('a per-route gateway as a scenario target', () => {
  it('passes route by route when the scenario states each route as it is', { timeout: 60_000 }, async () => {
    // The routes decide in HTTP, after the same handshake in either version: this case runs
    // TLS 1.2, the others 1.3 (where every route but a misstated one must still pass).
    const result = await run(await scenario('gateway', 'require'), ['1.2']);
    expect(notGreen(result.summary, result.problems), explain(result)).toBeNull();
    expect(result.scenario).toBe('gateway');
    // Routes are requested over https and h2 only: 5 routes × 7 identities × 2.
    expect(result.summary.cells).toBe(5 * IDENTITIES.length * 2);
    const internal = result.cells.filter((cell) => cell.server.startsWith('target/internal@'));
    expect(internal.find((cell) => cell.identity === 'untrusted-ca')?.verdict).toBe('accepted');
    expect(internal.find((cell) => cell.identity === 'valid')?.verdict).toBe('rejected');
    const legacyExpired = result.cells.find(
      (cell) => cell.server.startsWith('target/legacy@') && cell.identity === 'expired',
    );
    expect(legacyExpired).toMatchObject({ verdict: 'accepted', pass: true });
    expect(result.cells.every((cell) => cell.path !== undefined && cell.listener !== undefined)).toBe(true);
  });

  it(
    'fails when a route is misstated, and names what the route behaves as',
    { timeout: 60_000 },
    async () => {
      const result = await run(await scenario('misstated', 'verify'), ['1.3']);
      expect(result.summary.failed).toBeGreaterThan(0);
      expect(
        result.cells
          .filter((cell) => cell.pass === false)
          .every((cell) => cell.server.startsWith('target/devices@')),
      ).toBe(true);
      expect(result.observations.join('\n')).toMatch(
        /Route devices \(\/devices\) behaves as require_any_client_cert, not require_and_verify_client_cert/,
      );
    },
  );

  it('runs from the command line, and its report has a column per route', { timeout: 60_000 }, async () => {
    const cli = await runMain([
      'matrix',
      await scenario('binary', 'require'),
      '--identities',
      'none,valid,untrusted-ca',
      '--tls',
      '1.3',
    ]);
    expect(cli.exitCode, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      /target\/payments +target\/internal +target\/legacy +target\/devices +target\/public/,
    );
    expect(cli.stdout).toMatch(/all 30 cells as expected/);
  });
});
