/**
 * `mtls-lab inspect`: certificates (PEM, DER, bundles), keys, CRLs and .p12 files from a real
 * written PKI; chain checks; bad input. Directly, through main() in-process, and the binary.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { InputError } from '../src/errors.js';
import { memoryOutput } from '../src/output.js';
import { inspectFiles } from '../src/pki/inspect.js';
import { splitPem } from '../src/pki/pem.js';
import { durationInWords, validityInWords } from '../src/pki/time-words.js';
import { writePki } from '../src/pki/write.js';
import { mtlsLab } from './helpers/cli.js';
import { pkiPerWorker } from './helpers/pki-per-worker.js';
import { parseValid } from './helpers/json-schema.js';

let work: string;
let dir: string;
const at = (path: string) => join(dir, path);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-inspect-'));
  dir = join(work, 'pki');
  await writePki(await pkiPerWorker(), dir);
  // DER copies of a certificate, a key and a CRL; a corrupt and a truncated PEM.
  writeFileSync(join(work, 'valid.der'), new X509Certificate(readFileSync(at('clients/valid.crt'))).raw);
  writeFileSync(
    join(work, 'valid-key.der'),
    createPrivateKey(readFileSync(at('clients/valid.key'))).export({ type: 'pkcs8', format: 'der' }),
  );
  writeFileSync(join(work, 'root.crl.der'), splitPem(readFileSync(at('ca/root.crl'), 'utf8'))[0]!.der);
  const pem = readFileSync(at('clients/valid.crt'), 'utf8');
  writeFileSync(join(work, 'corrupt.pem'), pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!notbase64!!!!!!!'));
  writeFileSync(join(work, 'truncated.pem'), pem.slice(0, pem.length / 2));
  writeFileSync(join(work, 'garbage.bin'), Buffer.from('definitely not a certificate'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = memoryOutput();
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('inspectFiles', () => {
  it('describes a certificate bundle: names, usages, CA flags, validity in words', async () => {
    const [file] = await inspectFiles([at('clients/chain-chain.pem')]);
    expect(file?.format).toBe('PEM');
    const [leaf, intermediate] = file!.items;
    expect(leaf).toMatchObject({
      kind: 'certificate',
      details: {
        subject: 'CN=chain, O=mtls-lab',
        issuer: 'CN=mtls-lab Intermediate CA, O=mtls-lab',
        subjectAltNames: ['URI:spiffe://mtls-lab.test/client/chain'],
        keyUsage: ['digitalSignature'],
        extendedKeyUsage: ['clientAuth'],
        ca: false,
        keyType: 'ECDSA P-256',
        validity: { state: 'current', words: expect.stringMatching(/^valid for 36[45] more days$/) },
      },
    });
    expect(intermediate).toMatchObject({
      details: { ca: true, pathLength: 0, keyUsage: ['keyCertSign', 'cRLSign'] },
    });
  });

  it('reads DER certificates, keys and CRLs', async () => {
    const files = await inspectFiles([
      join(work, 'valid.der'),
      join(work, 'valid-key.der'),
      join(work, 'root.crl.der'),
    ]);
    expect(files.map((f) => [f.format, f.items[0]?.kind])).toEqual([
      ['DER', 'certificate'],
      ['DER', 'private-key'],
      ['DER', 'crl'],
    ]);
    const crl = files[2]!.items[0]!;
    expect(crl.kind === 'crl' && crl.details.revoked).toHaveLength(1);
  });

  it('reads a .p12 with the default password or the one given, and pairs key and certificate', async () => {
    for (const password of [undefined, 'changeit']) {
      const [file] = await inspectFiles([at('clients/rsa.p12')], password ? { password } : {});
      expect(file?.format).toBe('PKCS#12');
      expect(file?.items.map((item) => item.kind)).toEqual(['certificate', 'private-key']);
      expect(file?.items[1]).toMatchObject({
        details: { keyType: 'RSA 2048', matches: 'CN=rsa, O=mtls-lab' },
      });
    }
  });

  it('checks chains against --ca (and --crl), naming the reason', async () => {
    const files = await inspectFiles(
      ['clients/chain-chain.pem', 'clients/chain.crt', 'clients/revoked.p12', 'clients/wrong-eku.crt'].map(
        at,
      ),
      { ca: at('truststore.p12'), crl: at('crl.pem'), purpose: 'client' },
    );
    expect(files.map((f) => (f.chain?.ok ? 'ok' : f.chain?.problems[0]?.code))).toEqual([
      'ok',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'CERT_REVOKED',
      'INVALID_PURPOSE',
    ]);
  });

  it.each([
    ['missing.pem', /file not found: .*missing\.pem/],
    ['corrupt.pem', /corrupt\.pem: PEM block 1 \(CERTIFICATE\) is corrupt/],
    ['truncated.pem', /truncated\.pem: PEM block 1 is truncated or corrupt/],
    ['garbage.bin', /garbage\.bin is neither PEM nor a DER certificate, key, CRL or PKCS#12 file/],
  ])('gives an InputError naming %s', async (name, message) => {
    const error = await inspectFiles([join(work, name)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('says when a .p12 password is wrong', async () => {
    await expect(inspectFiles([at('clients/valid.p12')], { password: 'wrong' })).rejects.toThrow(
      /valid\.p12: wrong password for this PKCS#12 file/,
    );
  });
});

describe('validity in words', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  it.each([
    ['2025-01-01T00:00:00Z', '2026-01-07T12:00:00Z', 'expired 3 days ago'],
    ['2026-01-01T00:00:00Z', '2027-01-09T12:00:00Z', 'valid for 364 more days'],
    ['2026-01-11T11:00:00Z', '2027-01-01T00:00:00Z', 'not valid yet: starts in 23 hours'],
    ['2025-01-01T00:00:00Z', '2026-01-10T12:01:00Z', 'valid for 1 more minute'],
  ])('%s → %s reads "%s"', (from, to, words) => {
    expect(validityInWords(new Date(from), new Date(to), now).words).toBe(words);
  });
  it('uses years for long spans', () => expect(durationInWords(3 * 365.25 * 86_400_000)).toBe('3 years'));
});

describe('mtls-lab inspect (in process)', () => {
  it('prints what a file holds and exits 0', async () => {
    const result = await run('inspect', at('clients/expired.crt'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('certificate 1: CN=expired, O=mtls-lab');
    expect(result.stdout).toMatch(/expired (\d+ hours|1 day) ago/);
    expect(result.stdout).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  it('exits 1 when a chain does not verify, saying why', async () => {
    const result = await run('inspect', '--ca', at('ca/root.crt'), at('clients/untrusted-ca.crt'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ chain does not verify: UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(result.stdout).toContain('CN=mtls-lab Unrelated CA, O=mtls-lab is neither sent along nor trusted');
  });

  it('prints JSON with --json: snake_case, versioned, every kind of item', async () => {
    const publicKey = join(work, 'valid.pub.pem');
    writeFileSync(
      publicKey,
      createPublicKey(readFileSync(at('clients/valid.key'))).export({ type: 'spki', format: 'pem' }),
    );
    const files = [at('clients/valid.crt'), at('clients/valid.p12'), at('crl.pem'), at('clients/valid.key')];
    const result = await run('inspect', '--json', '--ca', at('ca/root.crt'), ...files, publicKey);
    expect(result.code).toBe(0);
    const report = parseValid<{ version: number; files: { chain: unknown; items: { kind: string }[] }[] }>(
      'inspect',
      result.stdout,
    );
    expect(report.version).toBe(1);
    expect(report.files[0]?.chain).toMatchObject({ ok: true, checked_crl: false, node_reports: null });
    expect(report.files[1]?.items).toMatchObject([
      { kind: 'certificate', friendly_name: 'valid', trusted: false, details: { key_type: 'ECDSA P-256' } },
      { kind: 'private-key', details: { matches: 'CN=valid, O=mtls-lab' } },
    ]);
    expect(report.files[2]?.items[0]).toMatchObject({
      kind: 'crl',
      details: { revoked: [{ reason: 'keyCompromise' }] },
    });
    // No certificate in a CRL file, so no chain to check.
    expect(report.files[2]?.chain).toBeNull();
    expect(report.files[4]?.items).toEqual([{ kind: 'public-key', details: { key_type: 'ECDSA P-256' } }]);
  });

  it('exits 2 for an unknown purpose or a wrong password', async () => {
    expect((await run('inspect', '--purpose', 'email', at('clients/valid.crt'))).code).toBe(2);
    const wrong = await run('inspect', '--password', 'nope', at('server/server.p12'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('server.p12: wrong password');
  });
});

describe('mtls-lab inspect (built binary)', () => {
  // A good file exits 0 through main() above; the process is checked on the error path.
  it('exits 2 for a corrupt file, naming it on stderr', async () => {
    const bad = await mtlsLab(['inspect', join(work, 'truncated.pem')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${join(work, 'truncated.pem')}: PEM block 1 is truncated or corrupt`);
    expect(bad.stdout).toBe('');
  });
});
