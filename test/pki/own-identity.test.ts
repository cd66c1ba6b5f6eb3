/**
 * Reading identities users bring: pairing in order, names (derived, checked, escaped), PEM and
 * DER, PKCS#1 keys, encrypted keys — with files made by the real openssl CLI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readPrivateKey } from '../../src/pki/own-files.js';
import { pairOwnIdentities, readOwnIdentities } from '../../src/pki/own-identity.js';
import { makeOwnCa, type OwnCa } from '../helpers/own-ca.js';

let work: string;
let own: OwnCa;
let ours: { cert: string; key: string };
const openssl = (...args: string[]) => execa('openssl', args, { cwd: work, timeout: 30_000 });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-own-read-'));
  own = await makeOwnCa(work);
  ours = await own.issue('ours', { cn: 'Our Client #1' });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pairOwnIdentities', () => {
  it('pairs in order and refuses counts that differ', () => {
    expect(pairOwnIdentities(['a.pem', 'b.pem'], ['a.key', 'b.key'], ['a', 'b'])).toEqual([
      { certFile: 'a.pem', keyFile: 'a.key', name: 'a' },
      { certFile: 'b.pem', keyFile: 'b.key', name: 'b' },
    ]);
    expect(pairOwnIdentities(['a.pem'], ['a.key'])).toEqual([{ certFile: 'a.pem', keyFile: 'a.key' }]);
    expect(() => pairOwnIdentities(['a.pem', 'b.pem'], ['a.key'])).toThrow(UsageError);
    expect(() => pairOwnIdentities(['a.pem', 'b.pem'], ['a.key', 'b.key'], ['a'])).toThrow(
      /give one per certificate or none: got 1 --name for 2 --client-cert/,
    );
    expect(() => pairOwnIdentities([], [], ['lonely'])).toThrow(UsageError);
  });
});

describe('readOwnIdentities', () => {
  it('derives a name from the CN, and escapes a bad one in the error', async () => {
    const [read] = await readOwnIdentities([{ certFile: ours.cert, keyFile: ours.key }], ['valid']);
    expect(read!.name).toBe('Our-Client-1');
    await expect(
      readOwnIdentities([{ certFile: ours.cert, keyFile: ours.key, name: 'bad\u001b[31mname' }], []),
    ).rejects.toThrow('--name "bad\\x1b[31mname"');
  });

  it('reads a DER certificate and a PKCS#1 RSA key, and an encrypted key with its password', async () => {
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rsa8.key', '-out', 'rsa.csr', '-subj', '/CN=rsa');
    await openssl('pkey', '-in', 'rsa8.key', '-traditional', '-out', 'rsa1.key');
    await openssl('x509', '-req', '-in', 'rsa.csr', '-CA', own.ca, '-CAkey', join(work, 'ca.key'), '-out', 'rsa.pem', '-days', '2');
    await openssl('x509', '-in', 'rsa.pem', '-outform', 'DER', '-out', 'rsa.der');
    const [read] = await readOwnIdentities(
      [{ certFile: join(work, 'rsa.der'), keyFile: join(work, 'rsa1.key') }],
      [],
    );
    expect(read!.name).toBe('rsa');
    expect(read!.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    await openssl('pkey', '-in', ours.key, '-aes256', '-passout', 'pass:s3cret', '-out', 'enc.key');
    const encrypted = join(work, 'enc.key');
    await expect(readPrivateKey(encrypted, '--client-key', undefined)).rejects.toThrow(
      /enc\.key is encrypted; give its password in \$MTLS_LAB_CLIENT_KEY_PASSWORD/,
    );
    await expect(readPrivateKey(encrypted, '--client-key', 'wrong')).rejects.toThrow(/does not open it/);
    expect((await readPrivateKey(encrypted, '--client-key', 's3cret')).asymmetricKeyType).toBe('ec');
  });
});
