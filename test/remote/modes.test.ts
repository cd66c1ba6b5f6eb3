/**
 * `matrix --target` and `probe` against real servers in each of the five modes, over TLS 1.2
 * and 1.3: the probe names the mode, the target matrix passes for the right mode and fails
 * for a wrong one, and without an expected mode it infers the right one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, type Mode } from '../../src/modes.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import { TLS_VERSIONS, type TlsVersion } from '../../src/servers/types.js';
import { notGreen } from '../../src/matrix/summary.js';
import type { MatrixResult } from '../../src/matrix/types.js';
import { targetMatrix } from '../../src/remote/matrix.js';
import { probeTarget } from '../../src/remote/probe.js';
import { tryConnect } from '../../src/remote/reach.js';
import { sharedPki } from '../helpers/shared-pki.js';

const IDENTITIES = [
  'none',
  'valid',
  'chain',
  'chain-no-intermediate',
  'self-signed',
  'untrusted-ca',
  'expired',
  'revoked',
  'wrong-server-trust',
];
/** A mode whose promise differs from each mode's for these identities. */
const WRONG: Record<Mode, Mode> = {
  no_client_certs: 'require_any_client_cert',
  request_client_cert: 'verify_client_cert_if_given',
  require_any_client_cert: 'require_and_verify_client_cert',
  verify_client_cert_if_given: 'no_client_certs',
  require_and_verify_client_cert: 'request_client_cert',
};
const CASES = MODES.flatMap((mode) => TLS_VERSIONS.map((tls) => ({ mode, tls })));

let pki: PkiMaterial;
const servers = new Map<string, RunningServer>();
const key = (mode: Mode, tls: TlsVersion) => `${mode}@${tls}`;
const serverFor = (mode: Mode, tls: TlsVersion) => servers.get(key(mode, tls))!;

beforeAll(async () => {
  pki = await sharedPki();
  await Promise.all(
    CASES.map(async ({ mode, tls }) => {
      servers.set(key(mode, tls), await startServer({ mode, pki, tls }));
    }),
  );
});

afterAll(async () => {
  const ports = [...servers.values()].map((server) => ({ host: server.host, port: server.port }));
  await Promise.all([...servers.values()].map((server) => server.close()));
  for (const target of ports) expect((await tryConnect(target, 1000)).ok).toBe(false);
});

const run = (mode: Mode, tls: TlsVersion, expectMode?: Mode, identities = IDENTITIES) => {
  const server = serverFor(mode, tls);
  return targetMatrix({
    target: { host: server.host, port: server.port },
    pki,
    pkiTrusted: true,
    identities,
    protocols: ['tls', 'https'],
    tls: [tls],
    ...(expectMode ? { expect: { mode: expectMode, forgives: [] } } : {}),
    concurrency: 8,
    timeoutMs: 4000,
  });
};

/** Every cell passed against `mode`, judged as the target's own (no server view). */
function expectAllPassed(result: MatrixResult, mode: Mode): void {
  const failures = result.cells
    .filter((cell) => cell.pass === false || cell.verdict === 'inconclusive')
    .map((cell) => `${cell.identity}/${cell.protocol}: ${cell.how}`);
  expect(failures).toEqual([]);
  expect(result.summary).toMatchObject({
    cells: IDENTITIES.length * 2,
    passed: IDENTITIES.length * 2,
    failed: 0,
    inconclusive: 0,
    modes: [mode],
  });
  expect(
    result.cells.every((cell) => cell.server === `target@tls${cell.tls}` && cell.serverViews.length === 0),
  ).toBe(true);
  expect(result.observations.join('\n')).not.toMatch(/no server view/);
}

/**
 * Each mode over each version: judged against the mode (TLS 1.2) and against the mode it
 * infers (TLS 1.3), every cell passing either way; judged against a wrong mode; and probed
 * over one version, alternating, so that each version is probed pinned both ways.
 */
describe.each(MODES.map((mode, i) => ({ mode, probed: TLS_VERSIONS[i % 2]! })))(
  'a $mode server',
  ({ mode, probed }) => {
    it(`probe names the mode, certainly (TLS ${probed})`, async () => {
      const server = serverFor(mode, probed);
      const report = await probeTarget({
        target: { host: server.host, port: server.port },
        pki,
        timeoutMs: 4000,
      });
      expect(report, report.evidence.join('\n')).toMatchObject({
        mode,
        forgives: [],
        confidence: 'certain',
        tls_versions: [probed],
      });
      expect(report.certificate_request?.sent).toBe(mode !== 'no_client_certs');
      if (mode !== 'no_client_certs')
        expect(report.certificate_request?.ca_names).toEqual(['CN = mtls-lab Root CA, O = mtls-lab']);
      expect(report.notes.join(' ')).toMatch(`does not serve TLS ${probed === '1.2' ? '1.3' : '1.2'}`);
    });

    it('targetMatrix passes for the right mode (TLS 1.2)', async () => {
      expectAllPassed(await run(mode, '1.2', mode), mode);
    });

    it('infers the mode without being told, and every cell passes (TLS 1.3)', async () => {
      const result = await run(mode, '1.3');
      expectAllPassed(result, mode);
      // Without not-yet-valid and wrong-eku, some forgiving behaviours fit as well: the simplest is taken.
      expect(result.observations[0]).toMatch(new RegExp(`The observations fit ${mode}[:;]`));
    });

    it('targetMatrix fails for a wrong mode (TLS 1.2)', async () => {
      // Each wrong mode differs from the right one on no certificate or an untrusted one.
      const wrong = await run(mode, '1.2', WRONG[mode], ['none', 'untrusted-ca']);
      expect(wrong.summary.failed).toBeGreaterThan(0);
      expect(wrong.summary.modes).toEqual([WRONG[mode]]);
    });
  },
);

describe('unknowables and protocols', () => {
  it("expects 'either' where the target's setup is unknown, and decides once the user states it", async () => {
    const server = serverFor('require_and_verify_client_cert', '1.3');
    const common = {
      target: { host: server.host, port: server.port },
      pki,
      pkiTrusted: true,
      tls: ['1.3'] as TlsVersion[],
      expect: { mode: 'require_and_verify_client_cert' as const, forgives: [] },
      concurrency: 8,
      timeoutMs: 4000,
    };
    // The two identities whose verdict hangs on the target's setup: CRLs and root-only trust.
    const identities = ['revoked', 'chain-no-intermediate'];
    const [unknown, stated] = await Promise.all([
      targetMatrix({ ...common, identities, protocols: ['tls'] }),
      targetMatrix({
        ...common,
        identities,
        protocols: ['tls', 'https', 'h2', 'grpc'],
        checksCrl: true,
        trustsIntermediate: false,
      }),
    ]);
    const [revoked, loneLeaf] = unknown.cells;
    expect(revoked?.expected).toMatchObject({
      verdict: 'either',
      reason: expect.stringMatching(/checks CRLs/),
    });
    expect(loneLeaf?.expected).toMatchObject({
      verdict: 'either',
      reason: expect.stringMatching(/trusts the intermediate CA/),
    });
    expect(unknown.summary.failed).toBe(0);
    expect(stated.summary).toMatchObject({ cells: identities.length * 4, passed: identities.length * 4 });
    expect(stated.cells.filter((cell) => cell.expected.verdict === 'either')).toEqual([]);
  });

  it('reports a TLS version the target does not speak as not served, and judges nothing when none is left', async () => {
    const server = serverFor('require_any_client_cert', '1.3');
    const common = {
      target: { host: server.host, port: server.port },
      pki,
      pkiTrusted: true,
      identities: ['none', 'valid'],
      protocols: ['tls' as const],
      concurrency: 4,
      timeoutMs: 4000,
    };
    const both = await targetMatrix({ ...common, tls: ['1.2', '1.3'] });
    expect(both.summary).toMatchObject({ cells: 4, passed: 2, notServed: 2, failed: 0 });
    expect(both.observations).toContain('Not served: TLS 1.2 (TLS 1.2 refused: alert protocol_version).');
    const none = await targetMatrix({ ...common, tls: ['1.2'] });
    expect(none.summary).toMatchObject({ cells: 2, notServed: 2, passed: 0 });
    expect(notGreen(none.summary, none.problems)).toBe(
      'nothing was judged: the target serves none of the cells',
    );
  });
});
