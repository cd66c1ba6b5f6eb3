/**
 * The .p12 files `writePki` writes, read by three independent implementations: Node's TLS
 * (`pfx`), OpenSSL (`openssl pkcs12`) and Java (`keytool -list`), plus our own reader.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { Manifest } from '../../src/pki/manifest.js';
import { buildKeystore } from '../../src/pki/pkcs12.js';
import { readPkcs12 } from '../../src/pki/pkcs12-read.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let base: string;
let dir: string;
let pki: PkiMaterial;
let manifest: Manifest;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'mtls-lab-p12-'));
  dir = join(base, 'pki');
  pki = await pkiPerWorker();
  manifest = (await writePki(pki, dir)).manifest;
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const keyEntries = () => [
  { alias: 'server', p12: manifest.server.p12, chain: pki.server.chain, key: pki.server.key },
  ...manifest.identities.flatMap((entry) => {
    const identity = pki.identities.find((i) => i.name === entry.name)!;
    return entry.p12
      ? [{ alias: entry.name, p12: entry.p12, chain: identity.chain!, key: identity.key! }]
      : [];
  }),
];

async function available(command: string, args: string[]): Promise<boolean> {
  const run = await execa(command, args, { reject: false, timeout: 20_000 }).catch(() => undefined);
  return run !== undefined && run.exitCode === 0;
}
/** keytool does a second of JIT work it never profits from: C1 only and the serial GC halve its start. */
const FAST_JVM = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC'];
const [hasKeytool, hasOpenssl] = await Promise.all([
  available('keytool', [...FAST_JVM, '-help']),
  available('openssl', ['version']),
]);

describe('our reader and Node', () => {
  it('every key entry loads into a Node secure context and reads back as the same key and chain', async () => {
    for (const entry of keyEntries()) {
      const data = readFileSync(join(dir, entry.p12));
      expect(() => tls.createSecureContext({ pfx: data, passphrase: 'changeit' }), entry.alias).not.toThrow();
      const contents = await readPkcs12(data, 'changeit', entry.p12);
      expect(contents.keys).toEqual([entry.key]);
      expect(contents.certificates.map((c) => c.pem).join('')).toBe(entry.chain);
      expect(contents.certificates[0]?.friendlyName).toBe(entry.alias);
    }
  });

  it('the truststore holds the root as a trusted certificate (Node cannot use it as pfx: it has no key)', async () => {
    const data = readFileSync(join(dir, manifest.truststore));
    const contents = await readPkcs12(data, 'changeit', manifest.truststore);
    expect(contents.keys).toEqual([]);
    expect(contents.certificates).toEqual([
      { pem: pki.cas.root.cert, friendlyName: 'mtls-lab root ca', trusted: true },
    ]);
    expect(() => tls.createSecureContext({ pfx: data, passphrase: 'changeit' })).toThrow(/private key/);
  });

  it('a wrong password is an InputError that says so and names the file', async () => {
    const data = readFileSync(join(dir, 'clients/valid.p12'));
    const error = await readPkcs12(data, 'not-it', 'clients/valid.p12').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'clients/valid.p12: wrong password for this PKCS#12 file (its integrity check failed)',
    );
    expect(() => tls.createSecureContext({ pfx: data, passphrase: 'not-it' })).toThrow();
  });

  // writePki hands its p12Password to every keystore: test/scenario/keystores.test.ts runs a
  // real TLS pair from keystores written with one. Here: a password beyond ASCII survives.
  it('honours a custom password beyond ASCII', async () => {
    const rsa = pki.identities.find((identity) => identity.name === 'rsa')!;
    const data = await buildKeystore(rsa.key!, rsa.chain!, 's3cret pässword', 'rsa');
    expect(() => tls.createSecureContext({ pfx: data, passphrase: 's3cret pässword' })).not.toThrow();
    await expect(readPkcs12(data, 'changeit')).rejects.toThrow(/wrong password/);
  });
});

describe.skipIf(!hasKeytool)(
  hasKeytool ? 'Java keytool' : 'Java keytool — skipped: keytool is not installed',
  () => {
    // One of each shape (ECDSA key with its certificate, leaf + intermediate, RSA, Ed25519): a
    // JVM per file is slow. The server's keystore has the same shape as every plain client's.
    const shapes = () => keyEntries().filter((e) => ['server', 'chain', 'rsa', 'ed25519'].includes(e.alias));

    it('lists each kind of key entry with its chain, and the truststore as a trustedCertEntry', async () => {
      const list = (file: string) =>
        execa(
          'keytool',
          [
            ...FAST_JVM,
            ...[
              '-list',
              '-v',
              '-storetype',
              'PKCS12',
              '-keystore',
              join(dir, file),
              '-storepass',
              'changeit',
            ],
          ],
          {
            timeout: 30_000,
          },
        );
      const runs = await Promise.all([...shapes().map((e) => list(e.p12)), list(manifest.truststore)]);
      shapes().forEach((entry, index) => {
        const out = runs[index]!.stdout;
        expect(out, entry.alias).toContain(`Alias name: ${entry.alias}`);
        expect(out).toContain('Entry type: PrivateKeyEntry');
        expect(out).toContain(`Certificate chain length: ${entry.chain.match(/BEGIN CERTIFICATE/g)?.length}`);
      });
      expect(runs.at(-1)!.stdout).toContain('Entry type: trustedCertEntry');
    }, 120_000);

    it('refuses a wrong password', async () => {
      const run = await execa(
        'keytool',
        [...FAST_JVM, '-list', '-keystore', join(dir, 'clients/valid.p12'), '-storepass', 'nope'],
        {
          reject: false,
          timeout: 30_000,
        },
      );
      expect(run.exitCode).not.toBe(0);
      expect(String(run.stdout) + String(run.stderr)).toMatch(/password was incorrect/);
    }, 60_000);
  },
);

describe.skipIf(!hasOpenssl)(hasOpenssl ? 'OpenSSL' : 'OpenSSL — skipped: openssl is not installed', () => {
  it('reads the keystore as OpenSSL 3 writes it: PBES2 AES-256-CBC, SHA-256 MAC', async () => {
    const run = await execa(
      'openssl',
      ['pkcs12', '-info', '-noout', '-in', join(dir, 'clients/chain.p12'), '-passin', 'pass:changeit'],
      {
        timeout: 20_000,
      },
    );
    const info = String(run.stderr) + String(run.stdout);
    expect(info).toContain('MAC: sha256');
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    expect(info).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC/);
    expect(info.match(/Certificate bag/g)).toHaveLength(2);
  });
});
