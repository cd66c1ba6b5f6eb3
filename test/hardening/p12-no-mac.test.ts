/**
 * A .p12 with no MAC is described truthfully by inspect. The unencrypted one runs the built
 * binary; the password cases run the same entry point in-process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsLab, runMain } from '../helpers/cli.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mtls-lab-p12-'));
  const pki = await pkiPerWorker();
  const valid = pki.identities.find((id) => id.name === 'valid')!;
  writeFileSync(join(work, 'c.pem'), valid.cert!);
  writeFileSync(join(work, 'k.pem'), valid.key!);
  const common = ['pkcs12', '-export', '-nomac', '-in', join(work, 'c.pem'), '-inkey', join(work, 'k.pem')];
  await Promise.all([
    execa('openssl', [
      ...common,
      '-keypbe',
      'NONE',
      '-certpbe',
      'NONE',
      '-passout',
      'pass:',
      '-out',
      join(work, 'plain.p12'),
    ]),
    execa('openssl', [...common, '-passout', 'pass:secret', '-out', join(work, 'encrypted.p12')]),
  ]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('inspect a .p12 without a MAC', () => {
  it('reads an unencrypted one and says it has no integrity check, not that a password protects it (built binary)', async () => {
    const run = await mtlsLab(['inspect', join(work, 'plain.p12')]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('CN=valid');
    expect(run.stdout).toContain('no integrity check (MAC)');
    expect(`${run.stdout}${run.stderr}`).not.toContain('protected by a password');
  });

  it('reads an encrypted one with its password, and says it has no MAC', async () => {
    const run = await runMain(['inspect', join(work, 'encrypted.p12'), '--password', 'secret']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('no integrity check (MAC)');
    const wrong = await runMain(['inspect', join(work, 'encrypted.p12'), '--password', 'nope']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/no integrity check \(MAC\).*wrong password/);
  });
});
