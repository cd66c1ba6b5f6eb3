/**
 * `matrix --target` against a server this test starts, through the CLI's main() in this
 * process. Every identity runs, over one protocol and TLS version: what is judged here is the
 * identities' fate against the mode the server implements.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { writePki } from '../../src/pki/write.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import { runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-target-'));
  const pki = await generatePki();
  await writePki(pki, join(dir, 'pki'));
  server = await startServer({ mode: 'require_and_verify_client_cert', pki });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const targetArgs = () => [
  'matrix',
  '--target',
  server.url,
  '--pki',
  join(dir, 'pki'),
  '--protocols',
  'tls',
  '--tls',
  '1.3',
];

describe('matrix --target', () => {
  it('passes with the mode the server implements, all CRL-dependent cells included', async () => {
    const run = await runMain([
      ...targetArgs(),
      '--expect-mode',
      'on',
      '--target-checks-crl',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const report = parseValid('matrix', run.stdout);
    expect(report.target).toBe(`127.0.0.1:${server.port}`);
    expect(report.summary).toMatchObject({ cells: 13, failed: 0 });
    const revoked = report.cells.filter((cell: { identity: string }) => cell.identity === 'revoked');
    expect(revoked.every((cell: { expected: string }) => cell.expected === 'rejected')).toBe(true);
  });

  it('fails (exit 1) against a mode the server does not implement, and names the mode it fits', async () => {
    const run = await runMain([...targetArgs(), '--expect-mode', 'optional']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/fit require_and_verify_client_cert/);
    expect(run.stdout).toMatch(/✗ verify_client_cert_if_given × none × /);
  });

  it('is bad usage (exit 2) for a target it cannot parse or reach', async () => {
    const bad = await runMain(['matrix', '--target', 'ftp://127.0.0.1:1']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--target/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await runMain(['matrix', '--target', `127.0.0.1:${port}`, '--pki', join(dir, 'pki')]);
    expect(unreachable.exitCode).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+.*refused/);
    expect(unreachable.stdout).toBe('');
  });
});
