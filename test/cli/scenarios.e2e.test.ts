/**
 * Every shipped scenario runs green, with its real engines, and a PKI written by `gen` is what
 * `matrix --pki` runs on. One scenario goes through the built binary (the shipped scenarios
 * found from dist/, the process's exit status and streams); the others through the same entry
 * point in this process, which judges the same argv without a Node start-up each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listShippedScenarios } from '../../src/scenario/index.js';
import { type CliRun, mtlsLab, runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const shipped = await listShippedScenarios();
/** Through the binary: one listener of built-in servers, so no engine or worker start-up to pay. */
const THROUGH_THE_BINARY = 'runway-per-route';
const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('shipped scenarios', () => {
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
    const binary = scenario.name === THROUGH_THE_BINARY;
    // Some start external engines (a JVM, a Go build): generous on a busy 2-core machine.
    it(`${scenario.name} runs green${binary ? ' (built binary)' : ''}`, { timeout: 90_000 }, async () => {
      const args = ['matrix', scenario.file, '--format', 'json'];
      const run: CliRun = binary ? await mtlsLab(args) : await runMain(args);
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
  it('runs the matrix on the PKI written to disk, with its key type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-pki-'));
    temp.push(dir);
    // Not the default key type, so the report can only show it if it read the folder.
    const gen = await runMain(['gen', '--out', join(dir, 'pki'), '--key-type', 'ecdsa-p384']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    // Every identity of the folder, against a mode that takes any certificate and one that
    // verifies it: both only as expected if the folder's CA relations were read correctly.
    const run = await runMain([
      'matrix',
      '--pki',
      join(dir, 'pki'),
      '--modes',
      'require_any_client_cert,verify_client_cert_if_given',
      '--protocols',
      'tls',
      '--tls',
      '1.3',
      '--format',
      'json',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = parseValid('matrix', run.stdout);
    expect(report.pki).toEqual({ key_type: 'ecdsa-p384', dir: join(dir, 'pki'), generated: false });
    expect(report.summary).toMatchObject({ cells: 2 * 13, failed: 0, inconclusive: 0 });
  });
});
