/**
 * `mtls-lab gen`: the command functions directly, through main() in-process, and the built
 * binary end to end. Bad input exits 2 with a clear message and writes nothing.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { parseGenOptions } from '../src/commands/gen.js';
import { UsageError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { KEY_TYPES } from '../src/pki/types.js';
import { mtlsLab } from './helpers/cli.js';
import { parseValid } from './helpers/json-schema.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-gen-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  expect(existsSync(work)).toBe(false);
});

const defaults = { out: 'pki', keyType: 'ecdsa-p256', days: '365', host: [], p12Password: 'changeit' };

async function run(...argv: string[]) {
  const io = memoryOutput();
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('parseGenOptions', () => {
  it('turns the raw options into typed ones', () => {
    expect(parseGenOptions({ ...defaults, host: ['a.test', '10.0.0.1'], force: true })).toEqual({
      out: 'pki',
      keyType: 'ecdsa-p256',
      days: 365,
      hosts: ['a.test', '10.0.0.1'],
      force: true,
      p12Password: 'changeit',
    });
  });

  it('refuses an unknown key type, listing the known ones', () => {
    expect(() => parseGenOptions({ ...defaults, keyType: 'dsa' })).toThrow(UsageError);
    expect(() => parseGenOptions({ ...defaults, keyType: 'dsa' })).toThrow(KEY_TYPES.join(', '));
  });

  it.each(['0', '-5', '1.5', 'ten', ''])('refuses --days %j', (days) => {
    expect(() => parseGenOptions({ ...defaults, days })).toThrow(/--days must be a whole number/);
  });
});

describe('mtls-lab gen (in process)', () => {
  it('writes a PKI, prints one line per identity with what a verifying server concludes', async () => {
    const out = join(work, 'human');
    const result = await run(
      'gen',
      '--out',
      out,
      '--host',
      'svc.test',
      '--host',
      '192.0.2.7',
      '--days',
      '30',
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`to ${out}`);
    expect(result.stdout).toMatch(/expired\s+clients\/expired\.crt\s+CERT_HAS_EXPIRED/);
    expect(result.stdout).toMatch(/revoked\s+clients\/revoked\.crt\s+verifies → CERT_REVOKED/);
    expect(result.stdout).toMatch(/none\s+\(no certificate\)\s+sends no certificate/);
    const server = new X509Certificate(readFileSync(join(out, 'server/server.crt')));
    expect(server.checkHost('svc.test')).toBe('svc.test');
    expect(server.checkIP('192.0.2.7')).toBe('192.0.2.7');
    const valid = new X509Certificate(readFileSync(join(out, 'clients/valid.crt')));
    expect(new Date(valid.validTo).getTime() - new Date(valid.validFrom).getTime()).toBe(30 * 86_400_000);
  });

  it('prints the manifest with --json, refuses to overwrite it without --force, and replaces it with --force', async () => {
    const out = join(work, 'json');
    const first = await run('gen', '--out', out, '--json', '--key-type', 'ed25519');
    expect(first.code).toBe(0);
    const manifest = parseValid('manifest', first.stdout);
    expect(manifest).toMatchObject({ version: 2, key_type: 'ed25519' });
    expect(manifest).toEqual(parseValid('manifest', readFileSync(join(out, 'manifest.json'), 'utf8')));

    const again = await run('gen', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${join(out, 'manifest.json')} already exists`);
    expect(again.stderr).toContain('--force');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);

    const forced = await run('gen', '--out', out, '--force', '--json');
    expect(forced.code).toBe(0);
    expect(parseValid('manifest', forced.stdout).key_type).toBe('ecdsa-p256');
  });

  it.each([
    [['--key-type', 'dsa'], /--key-type: unknown value "dsa"; allowed: ecdsa-p256/],
    [['--days', '0'], /--days must be a whole number/],
    [['--days', '-3'], /--days must be a whole number/],
    [['--host', 'not a host'], /host "not a host" is neither a DNS name nor an IP address/],
    [['--p12-password', ''], /--p12-password must not be empty/],
  ])('exits 2 for %j and writes nothing', async (args, message) => {
    const out = join(work, 'refused');
    const result = await run('gen', '--out', out, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 naming an unwritable folder, leaving no temporary files', async () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const result = await run('gen', '--out', join(blocker, 'pki'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write the PKI into ${join(blocker, 'pki')}`);
    expect(readdirSync(work).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(statSync(blocker).isFile()).toBe(true);
  });
});

describe('mtls-lab gen (built binary)', () => {
  it('writes a PKI and exits 0', async () => {
    const out = join(work, 'e2e');
    const result = await mtlsLab(['gen', '--out', out]);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toContain('Wrote a test PKI (ecdsa-p256, 365 days)');
    expect(statSync(join(out, 'clients/valid.key')).mode & 0o777).toBe(0o600);
  });

  // The other refusals (bad values, an earlier PKI) exit 2 the same way through main() above.
  it('exits 2 for an unknown key type, with the reason on stderr and nothing on stdout', async () => {
    const out = join(work, 'e2e-refused');
    const result = await mtlsLab(['gen', '--out', out, '--key-type', 'rsa-1024']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown value "rsa-1024"/);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});
