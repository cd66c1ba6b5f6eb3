/** Every shipped scenario, and a PKI written by `gen`, run green through the built binary. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listShippedScenarios } from '../../src/scenario/index.js';
import { mtlsLab } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const shipped = await listShippedScenarios();
const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('shipped scenarios (built binary)', () => {
  it('ships the documented scenarios', () => {
    expect(shipped.map((scenario) => scenario.name).sort()).toEqual([
      'akka-grpc-mtls',
      'nginx-modes',
      'openssl-vs-node',
      'roadrunner-client-auth',
      'runway-per-route',
    ]);
  });

  for (const scenario of shipped) {
    it(`${scenario.name} runs green`, async () => {
      const run = await mtlsLab(['matrix', scenario.file, '--format', 'json']);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const report = parseValid('matrix', run.stdout);
      expect(report.scenario).toBe(scenario.name);
      expect(report.summary.failed).toBe(0);
      expect(report.summary.cells).toBeGreaterThan(0);
      expect(
        report.cells.some((cell: { expected_source: string }) => cell.expected_source === 'scenario'),
      ).toBe(true);
    });
  }
});

describe('gen, then matrix --pki', () => {
  it('runs the matrix against a PKI written to disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-pki-'));
    temp.push(dir);
    const gen = await mtlsLab(['gen', '--out', join(dir, 'pki'), '--key-type', 'ecdsa-p384']);
    expect(gen.exitCode).toBe(0);
    const run = await mtlsLab([
      'matrix',
      '--pki',
      join(dir, 'pki'),
      '--modes',
      'require_any_client_cert,verify_client_cert_if_given',
      '--protocols',
      'https,h2',
      '--tls',
      '1.3',
      '--format',
      'markdown',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^## mtls-lab matrix\n\n\*\*✅ all 52 cells as expected\*\*/);
  });
});
