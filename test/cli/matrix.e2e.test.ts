/**
 * The built binary, end to end: exit codes 0, 1 and 2, the JSON contract, Ctrl-C. One bad-usage
 * case goes through the binary (a real process exits 2 with one message); all of them check the
 * same main() in this process, which judges the same argv the same way.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, mtlsLab, runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';
import { watchedRun } from '../helpers/watched-run.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('mtls-lab matrix (built binary)', () => {
  // Binary runs that start servers: a generous limit for a busy 2-core machine.
  it(
    'exits 0 and keeps the JSON contract when every cell meets its expectation',
    { timeout: 60_000 },
    async () => {
      const run = await mtlsLab([
        'matrix',
        '--modes',
        'optional,on',
        '--identities',
        'valid,none,expired,wrong-server-trust',
        '--protocols',
        'tls,grpc',
        // One TLS version: the report's shape is the point here, not each version's outcome.
        '--tls',
        '1.3',
        '--format',
        'json',
      ]);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const report = parseValid('matrix', run.stdout);
      expect(report.summary).toMatchObject({ cells: 2 * 4 * 2, passed: 16, failed: 0 });
      expect(report.summary.modes).toEqual(['verify_client_cert_if_given', 'require_and_verify_client_cert']);
      for (const cell of report.cells) {
        expect(cell).toMatchObject({
          mode: expect.stringMatching(/^(verify_client_cert_if_given|require_and_verify_client_cert)$/),
          server: expect.stringMatching(/@tls1\.[23]$/),
          protocol: expect.stringMatching(/^(tls|grpc)$/),
          tls: expect.stringMatching(/^1\.[23]$/),
          expected: expect.stringMatching(/^(accepted|rejected)$/),
          verdict: expect.stringMatching(/^(accepted|rejected)$/),
          pass: true,
          handshake: { kind: expect.any(String) },
          request: { kind: expect.any(String) },
        });
      }
      const expired = report.cells.find(
        (cell: { identity: string; mode: string; protocol: string; tls: string }) =>
          cell.identity === 'expired' &&
          cell.mode === 'require_and_verify_client_cert' &&
          cell.protocol === 'tls',
      );
      expect(expired.verdict).toBe('rejected');
      expect(expired.server_view).toMatchObject({
        presented: true,
        verified: false,
        verify_error: 'CERT_HAS_EXPIRED',
      });
    },
  );

  it('exits 1 when a cell misses its expectation, and says which in JUnit', { timeout: 60_000 }, async () => {
    const output = join(work, 'report.xml');
    const run = await mtlsLab([
      'matrix',
      'test/fixtures/runs/wrong-expectation.yaml',
      '--format',
      'junit',
      '-o',
      output,
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/1 of 2 judged cells did not meet their expectation/);
    const xml = await readFile(output, 'utf8');
    expect(xml).toMatch(/<testsuites name="mtls-lab matrix" tests="2" failures="1"/);
    expect(xml).toMatch(
      /<testcase classname="mtls-lab.strict" name="none over tls, TLS 1.3"[^>]*>\s*<failure/,
    );
  });

  const badUsage: [string, string[], RegExp][] = [
    ['--concurrency 0', ['--concurrency', '0'], /--concurrency must be a whole number from 1/],
    [
      '--format xml',
      ['--format', 'xml'],
      /--format: unknown value "xml"; allowed: table, json, junit, markdown/,
    ],
    ['--tls 1.0', ['--tls', '1.0'], /--tls: unknown value "1.0"; allowed: 1.2, 1.3/],
    [
      'an unknown mode, listing the aliases too',
      ['--modes', 'strict'],
      /--modes: unknown value "strict"; allowed: a mode or any alias: no_client_certs \(NoClientCert, .*require_and_verify_client_cert \(.*require_verify\)/,
    ],
    [
      'an unknown protocol',
      ['--protocols', 'quic'],
      /--protocols: unknown value "quic"; allowed: tls, https \(or HTTP\/1\.1\), h2 \(or HTTP\/2\), grpc/,
    ],
    [
      'an unknown identity',
      ['--identities', 'nobody'],
      /--identities: unknown identity "nobody"; available here: none, valid/,
    ],
    ['an unknown option', ['--colour'], /unknown option '--colour'/],
    ['a missing scenario file', ['does-not-exist.yaml'], /does-not-exist\.yaml/],
  ];
  const expectBadUsage = (run: CliRun, message: RegExp) => {
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  // Through the binary, the case commander refuses: the process exits 2 before the command's
  // implementation loads. The exit 0 and exit 1 runs above run it in a real process.
  const throughBinary = badUsage.find(([what]) => what === 'an unknown option')!;
  it('exits 2 for an unknown option (built binary), with one clear message and no stack trace', async () => {
    const [, args, message] = throughBinary;
    expectBadUsage(await mtlsLab(['matrix', ...args]), message);
  });

  for (const [what, args, message] of badUsage) {
    it(`exits 2 for ${what}, with one clear message and no stack trace`, async () => {
      expectBadUsage(await runMain(['matrix', ...args]), message);
    });
  }

  it(
    'stops on Ctrl-C mid-run, tears down and exits 130, leaving no keystore folder',
    { timeout: 60_000 },
    async () => {
      // The Akka scenario writes PKCS#12 keystores to a temporary folder: it must go too. Its
      // gRPC servers load them; its JSSE servers (https only, a JVM each) are left out.
      const run = await watchedRun(['matrix', 'akka-grpc-mtls', '--protocols', 'grpc', '--timeout', '30']);
      try {
        await run.waitForStderr(/stage: servers started; cells running/);
        // Frozen, so a quick run cannot end before it is looked at and interrupted: the folder
        // is there while cells run, so its absence afterwards means it was removed.
        run.child.kill('SIGSTOP');
        expect((await run.leftovers()).tempEntries).toEqual([expect.stringMatching(/^mtls-lab-keystores-/)]);
        run.child.kill('SIGINT');
        run.child.kill('SIGCONT');
        const result = await run.child;
        expect(result.exitCode, run.stderr()).toBe(130);
        expect(run.stderr()).toMatch(/interrupted; everything was shut down/);
        expect(await run.leftovers()).toEqual({ processes: [], ports: [], tempEntries: [] });
      } finally {
        await run.dispose();
      }
    },
  );
});
