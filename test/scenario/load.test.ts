/** Loading valid scenarios: the shipped ones, defaults, aliases, and expectations in the plan. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMatrix } from '../../src/matrix/plan.js';
import { MODES } from '../../src/modes.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { scenarioOverride } from '../../src/scenario/expectations.js';
import { loadScenario } from '../../src/scenario/load.js';
import { scenarioPlanInput } from '../../src/scenario/plan.js';
import { SHIPPED_SCENARIOS_DIR } from '../../src/scenario/shipped.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const SHIPPED = ['akka-grpc-mtls', 'nginx-modes', 'roadrunner-client-auth', 'runway-per-route'];

let pki: PkiMaterial;
let dir: string;
beforeAll(async () => {
  [pki, dir] = await Promise.all([pkiPerWorker(), mkdtemp(join(tmpdir(), 'mtls-lab-scenario-test-'))]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scenarioFrom(name: string, lines: string[]) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return loadScenario(file);
}

describe('shipped scenarios', () => {
  it.each(SHIPPED)(
    '%s loads, and each explicit expectation agrees with the oracle on a real PKI',
    async (name) => {
      const scenario = await loadScenario(join(SHIPPED_SCENARIOS_DIR, `${name}.yaml`));
      expect(scenario.name).toBe(name);
      expect(scenario.description).not.toContain('\n');
      const input = scenarioPlanInput(scenario, pki);
      const plan = planMatrix(input);
      const oracle = planMatrix({ ...input, override: undefined });
      const explicit = plan.cells.filter((cell) => cell.expected.source === 'scenario');
      expect(explicit.length).toBeGreaterThan(0);
      // The servers are mtls-lab's own in the mapped modes (and routes, with what they
      // forgive), so the documents' statements and the oracle must agree; a disagreement would
      // make the shipped scenario fail on every run.
      for (const cell of explicit) {
        expect([cell.server, cell.identity, oracle.cells[cell.index]?.expected.verdict]).toEqual([
          cell.server,
          cell.identity,
          cell.expected.verdict,
        ]);
      }
    },
  );

  it('roadrunner-client-auth states every cell of the document table explicitly', async () => {
    const scenario = await loadScenario(join(SHIPPED_SCENARIOS_DIR, 'roadrunner-client-auth.yaml'));
    // Each mode on the built-in server and on Go's crypto/tls.
    expect(scenario.servers.map((server) => [server.mode, server.engine ?? 'node'])).toEqual([
      ...MODES.slice()
        .reverse()
        .map((mode) => [mode, 'node']),
      ...MODES.slice()
        .reverse()
        .map((mode) => [mode, 'go']),
    ]);
    const plan = planMatrix(scenarioPlanInput(scenario, pki));
    expect(plan.cells).toHaveLength(2 * 5 * 3 * 2 * 2);
    expect(plan.cells.every((cell) => cell.expected.source === 'scenario')).toBe(true);
    expect(plan.cells.every((cell) => cell.expected.reason.startsWith('RoadRunner: "'))).toBe(true);
  });

  it('nginx-modes runs the ssl_verify_client values on nginx; akka-grpc-mtls asks for pkcs12 keystores', async () => {
    const nginx = await loadScenario(join(SHIPPED_SCENARIOS_DIR, 'nginx-modes.yaml'));
    // On real nginx, beside the built-in servers; optional_no_ca is request_client_cert's slot.
    expect(nginx.servers.map((server) => [server.name, server.engine ?? 'node', server.mode])).toEqual([
      ['nginx-off', 'nginx', 'no_client_certs'],
      ['nginx-optional', 'nginx', 'verify_client_cert_if_given'],
      ['nginx-optional_no_ca', 'nginx', 'request_client_cert'],
      ['nginx-on', 'nginx', 'require_and_verify_client_cert'],
      ['node-off', 'node', 'no_client_certs'],
      ['node-optional', 'node', 'verify_client_cert_if_given'],
      ['node-on', 'node', 'require_and_verify_client_cert'],
    ]);
    const akka = await loadScenario(join(SHIPPED_SCENARIOS_DIR, 'akka-grpc-mtls.yaml'));
    expect(akka.pki).toMatchObject({ source: 'generate', keystores: 'pkcs12', p12Password: 'changeit' });
    expect(akka.protocols).toEqual(['grpc', 'https']);
    // gRPC on the built-in servers, HTTPS on the JVM's JSSE.
    expect(akka.servers.map((server) => [server.name, server.engine ?? 'node', server.protocols])).toEqual([
      ['plain-tls', 'node', ['grpc']],
      ['mtls', 'node', ['grpc']],
      ['jvm-plain-tls', 'jvm', ['https']],
      ['jvm-mtls', 'jvm', ['https']],
    ]);
  });
});

describe('loadScenario', () => {
  it('fills in the defaults of a minimal scenario', async () => {
    const scenario = await scenarioFrom('minimal', [
      'name: minimal',
      'description: only the required fields',
    ]);
    expect(scenario).toMatchObject({
      file: join(dir, 'minimal.yaml'),
      path: resolve(dir, 'minimal.yaml'),
      pki: {
        source: 'generate',
        keyType: 'ecdsa-p256',
        days: 365,
        keystores: 'pem',
        p12Password: 'changeit',
      },
      protocols: ['tls', 'https', 'h2', 'grpc'],
      tls: ['1.2', '1.3'],
      checkCrl: true,
      expect: [],
    });
    expect(scenario.identities).toBeUndefined();
    expect(scenario.servers).toEqual(MODES.map((mode) => ({ name: mode, mode })));
    expect(scenarioPlanInput(scenario, pki).identities).toHaveLength(pki.identities.length);
  });

  it('accepts TLS versions as YAML numbers and as TLSv1.x, and Go / Runway mode aliases', async () => {
    const scenario = await scenarioFrom('aliases', [
      'name: aliases',
      'description: spellings',
      'tls: [1.3, 1.2]',
      'servers:',
      '  - {name: go, mode: RequireAnyClientCert, tls: [TLSv1.3], check_crl: false}',
      '  - {name: runway, mode: verify, protocols: [grpc]}',
      'expect:',
      '  - {mode: RequireAndVerifyClientCert, identity: none, verdict: accepted, reason: stated}',
    ]);
    expect(scenario.tls).toEqual(['1.3', '1.2']);
    expect(scenario.servers).toEqual([
      { name: 'go', mode: 'require_any_client_cert', tls: ['1.3'], checkCrl: false },
      { name: 'runway', mode: 'require_and_verify_client_cert', protocols: ['grpc'] },
    ]);
    expect(scenario.expect[0]).toMatchObject({
      mode: 'require_and_verify_client_cert',
      position: { line: 8, column: 5 },
    });
    const plan = planMatrix(scenarioPlanInput(scenario, pki));
    expect(plan.servers.map((server) => [server.name, server.checkCrl])).toEqual([
      ['go@tls1.3', false],
      ['runway@tls1.3', true],
      ['runway@tls1.2', true],
    ]);
  });
});

describe('forgives on routes', () => {
  it("joins a forgiving client_auth, forgives and allow_expired, a route's own overriding the default", async () => {
    const scenario = await scenarioFrom('forgives', [
      'name: forgives',
      'description: what routes forgive',
      'protocols: [https]',
      'servers:',
      '  - name: gw',
      '    client_mtls: {client_ca: root, forgives: [wrong-eku]}',
      '    routes:',
      '      - {name: inherit, path: /inherit}',
      '      - {name: legacy, path: /legacy, client_mtls: {allow_expired: true}}',
      '      - {name: nginx, path: /nginx, client_mtls: {client_auth: Optional-No-CA, forgives: [not_yet_valid]}}',
      '      - {name: own, path: /own, client_mtls: {forgives: [expired, untrusted-issuer, expired]}}',
      '      - {name: any, path: /any, client_mtls: {client_auth: require, forgives: []}}',
    ]);
    expect(scenario.servers.map((server) => [server.name, server.route?.policy])).toEqual([
      ['gw/inherit', { mode: 'require_and_verify_client_cert', trust: 'root', forgives: ['wrong-eku'] }],
      [
        'gw/legacy',
        { mode: 'require_and_verify_client_cert', trust: 'root', forgives: ['expired', 'wrong-eku'] },
      ],
      [
        'gw/nginx',
        {
          mode: 'verify_client_cert_if_given',
          trust: 'root',
          forgives: ['untrusted-issuer', 'not-yet-valid'],
        },
      ],
      [
        'gw/own',
        { mode: 'require_and_verify_client_cert', trust: 'root', forgives: ['untrusted-issuer', 'expired'] },
      ],
      ['gw/any', { mode: 'require_any_client_cert', trust: null, forgives: [] }],
    ]);
    const plan = planMatrix(scenarioPlanInput(scenario, pki));
    const verdict = (server: string, identity: string) =>
      plan.cells.find((cell) => cell.server === `${server}@tls1.3` && cell.identity === identity)?.expected
        .verdict;
    expect(verdict('gw/legacy', 'expired')).toBe('accepted');
    expect(verdict('gw/inherit', 'expired')).toBe('rejected');
    expect(verdict('gw/nginx', 'self-signed')).toBe('accepted');
    expect(verdict('gw/nginx', 'wrong-eku')).toBe('rejected');
  });
});

describe('scenarioOverride', () => {
  it('lets the first expectation that selects a cell decide it, and leaves the rest to the oracle', async () => {
    const scenario = await scenarioFrom('override', [
      'name: override',
      'description: first match wins',
      'servers: [{name: edge, mode: on}, {name: inner, mode: off}]',
      'identities: [valid, none]',
      'protocols: [tls]',
      'expect:',
      '  - {server: edge, identity: none, tls: "1.3", verdict: accepted, reason: first}',
      '  - {server: edge, verdict: rejected, reason: second}',
    ]);
    const override = scenarioOverride(scenario)!;
    const cell = { mode: 'require_and_verify_client_cert', protocol: 'tls' } as const;
    expect(override({ ...cell, server: 'edge@tls1.3', identity: 'none', tls: '1.3' })).toEqual({
      verdict: 'accepted',
      reason: 'first',
      source: 'scenario',
    });
    expect(override({ ...cell, server: 'edge@tls1.2', identity: 'none', tls: '1.2' })?.reason).toBe('second');
    expect(override({ ...cell, server: 'edge@tls1.2', identity: 'valid', tls: '1.2' })?.reason).toBe(
      'second',
    );
    expect(
      override({ ...cell, server: 'inner@tls1.2', mode: 'no_client_certs', identity: 'valid', tls: '1.2' }),
    ).toBeUndefined();
    expect(scenarioOverride({ expect: [] })).toBeUndefined();
  });
});
