/** writePki / loadPki on a real temp folder: layout, permissions, round trip, refusals, errors. */
import { X509Certificate } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, Interrupted } from '../../src/errors.js';
import { loadPki } from '../../src/pki/load.js';
import { layoutPaths } from '../../src/pki/layout.js';
import type { Manifest } from '../../src/pki/manifest.js';
import { manifestDocument } from '../../src/pki/manifest-file.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { parseValid } from '../helpers/json-schema.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

/** The parts of manifest.json version 2 these tests read. */
interface ManifestV2 {
  version: number;
  server_ca: string;
  client_ca: string;
  crl: string;
  p12_password: string;
  server: Record<string, unknown>;
  identities: {
    name: string;
    cert?: string;
    server_trust: string;
    certificate?: { sha256: string; verify_error: string | null };
  }[];
}

let pki: PkiMaterial;
let base: string;
let dir: string;
let manifest: Manifest;
let written: string[];

beforeAll(async () => {
  pki = await pkiPerWorker();
  base = mkdtempSync(join(tmpdir(), 'mtls-lab-write-'));
  dir = join(base, 'pki');
  ({ manifest, files: written } = await writePki(pki, dir));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  expect(() => statSync(base)).toThrow();
});

let copies = 0;
/** A fresh copy of the written PKI to damage or write over (copying is much cheaper than writing). */
function copyOfPki(): string {
  const copy = join(base, `copy-${++copies}`);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

const mode = (path: string) => statSync(path).mode & 0o777;
const noStaging = () => expect(readdirSync(base).filter((name) => name.includes('.tmp-'))).toEqual([]);

/** The same PKI with another certificate for `valid`: what a second gen would write. */
function withOtherValidCert(): { other: PkiMaterial; cert: string } {
  const cert = pki.identities.find((id) => id.name === 'expired')!.cert!;
  const identities = pki.identities.map((id) => (id.name === 'valid' ? { ...id, cert } : id));
  return { other: { ...pki, identities }, cert };
}

describe('writePki', () => {
  it('writes the documented layout with a version 2 manifest, snake_case as its schema says', () => {
    const onDisk = parseValid<ManifestV2>('manifest', readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifestDocument(manifest));
    expect(onDisk.version).toBe(2);
    expect(onDisk.server_ca).toBe('ca/root.crt');
    expect(onDisk.client_ca).toBe('ca/root.crt');
    expect(onDisk.crl).toBe('crl.pem');
    expect(onDisk.p12_password).toBe('changeit');
    expect(onDisk.server).toMatchObject({
      cert: 'server/server.crt',
      key: 'server/server.key',
      p12: 'server/server.p12',
      certificate: { verify_error: null },
    });
    const valid = onDisk.identities.find((id) => id.name === 'valid')!;
    expect(valid).toMatchObject({
      cert: 'clients/valid.crt',
      key: 'clients/valid.key',
      chain: 'clients/valid-chain.pem',
      traits: { chains_to_client_ca: true, client_auth_eku: true, verify_error_without_crl: null },
    });
    expect(valid.certificate?.verify_error).toBeNull();
    expect(onDisk.identities.find((id) => id.name === 'expired')?.certificate?.verify_error).toBe(
      'CERT_HAS_EXPIRED',
    );
    expect(onDisk.identities.find((id) => id.name === 'none')).not.toHaveProperty('cert');
    expect(onDisk.identities.find((id) => id.name === 'wrong-server-trust')?.server_trust).toBe(
      'ca/unrelated.crt',
    );
    for (const id of onDisk.identities.filter((i) => i.cert)) {
      const cert = new X509Certificate(readFileSync(join(dir, id.cert!)));
      expect(cert.fingerprint256).toBe(id.certificate?.sha256);
    }
    noStaging();
  });

  it('keeps private keys and keystores to the owner', () => {
    expect(mode(dir)).toBe(0o700);
    for (const path of [
      'ca/root.key',
      'server/server.key',
      'server/server.p12',
      'clients/valid.key',
      'truststore.p12',
    ]) {
      expect(mode(join(dir, path)), path).toBe(0o600);
    }
    expect(mode(join(dir, 'ca/root.crt')) & 0o600).toBe(0o600);
  });

  it('lists the files it wrote in layout order, the order gen checks before generating', () => {
    const clients = pki.identities.filter((id) => id.cert).map((id) => id.name);
    expect(written).toEqual(layoutPaths(clients));
  });

  it('refuses to overwrite an earlier PKI without force, and changes nothing', async () => {
    const before = readFileSync(join(dir, 'clients/valid.crt'), 'utf8');
    const error = await writePki(withOtherValidCert().other, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(join(dir, 'manifest.json'));
    expect((error as Error).message).toContain('--force');
    expect(readFileSync(join(dir, 'clients/valid.crt'), 'utf8')).toBe(before);
    noStaging();
  });

  it('replaces it with force, and leaves other files alone', async () => {
    const other = copyOfPki();
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const again = withOtherValidCert();
    await writePki(again.other, other, { force: true });
    expect(readFileSync(join(other, 'clients/valid.crt'), 'utf8')).toBe(again.cert);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
    noStaging();
  });

  it('refuses a folder that already holds only one of its files', async () => {
    const partial = copyOfPki();
    rmSync(join(partial, 'manifest.json'));
    await expect(writePki(pki, partial)).rejects.toThrow(/already exists/);
  });

  it('reports an unwritable folder as bad input naming it, and writes nothing', async () => {
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const target = join(file, 'pki');
    const error = await writePki(pki, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(target);
    noStaging();
  });
  it('stops on Ctrl-C before moving anything into place, removing the folders it made', async () => {
    const target = join(base, 'new', 'deeper', 'pki');
    const error = await writePki(pki, target, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Interrupted);
    expect(existsSync(join(base, 'new'))).toBe(false);
    noStaging();
  });
});

describe('loadPki', () => {
  it('reads back exactly what was written', async () => {
    const loaded = await loadPki(dir);
    expect(loaded.dir).toBe(dir);
    const { dir: _ignored, ...rest } = loaded;
    expect(rest).toEqual(pki);
  });

  it.each([
    ['a missing folder', (d: string) => join(d, 'nowhere'), /PKI folder not found/],
    ['a folder without a manifest', (d: string) => d, /holds no PKI: .*manifest\.json not found/],
  ])('names the problem for %s', async (_what, pick, message) => {
    await expect(loadPki(pick(base))).rejects.toThrow(message);
  });

  it.each([
    ['manifest.json', '{ not json', /manifest\.json is not valid JSON/],
    ['manifest.json', '{}', /manifest\.json has no "version" \(this mtls-lab reads versions 1 and 2\)/],
    ['manifest.json', '{"version": "2"}', /manifest\.json has an unsupported manifest version "2"/],
    ['manifest.json', '{"version": 2}', /manifest\.json: field "created_at": /],
    [
      'clients/valid.crt',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      /valid\.crt holds a corrupt certificate/,
    ],
    ['clients/rsa.key', 'garbage', /rsa\.key is not a readable private key/],
  ])('gives an InputError naming %s when it is corrupt', async (file, content, message) => {
    const copy = copyOfPki();
    writeFileSync(join(copy, file), content);
    const error = await loadPki(copy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('notices a key that does not belong to its certificate, or a missing file', async () => {
    const copy = copyOfPki();
    writeFileSync(join(copy, 'clients/valid.key'), readFileSync(join(copy, 'clients/expired.key')));
    await expect(loadPki(copy)).rejects.toThrow(/valid\.key does not match the certificate in .*valid\.crt/);
    rmSync(join(copy, 'server/server.crt'));
    await expect(loadPki(copy)).rejects.toThrow(/file not found: .*server\.crt/);
  });
});

describe('manifest versions', () => {
  const fixture = readFileSync(new URL('../fixtures/manifest-v1/manifest.json', import.meta.url), 'utf8');

  it('reads a version 1 manifest (camelCase, as mtls-lab wrote before version 2)', async () => {
    expect(parseValid('manifest-v1', fixture)).toMatchObject({ version: 1, serverCa: 'ca/root.crt' });
    const copy = copyOfPki();
    writeFileSync(join(copy, 'manifest.json'), fixture);
    const loaded = await loadPki(copy);
    expect(loaded.keyType).toBe('ecdsa-p256');
    expect(loaded.identities.map((id) => [id.name, id.traits])).toEqual(
      pki.identities.map((id) => [id.name, id.traits]),
    );
    expect(loaded.server.cert).toBe(pki.server.cert);
  });

  it('refuses a manifest newer than it reads with exit 2, saying what to do', async () => {
    const copy = copyOfPki();
    const future = { ...manifestDocument(manifest), version: 3 };
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify(future));
    const error = await loadPki(copy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      `${join(copy, 'manifest.json')} is manifest version 3, newer than this mtls-lab reads (versions 1 and 2); ` +
        'upgrade mtls-lab, or write the PKI again with this one (mtls-lab gen)',
    );
  });

  it('refuses a version 2 manifest with a camelCase key, naming it', async () => {
    const copy = copyOfPki();
    const { server_ca: serverCa, ...rest } = manifestDocument(manifest);
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify({ ...rest, serverCa }));
    await expect(loadPki(copy)).rejects.toThrow(/field "serverCa": version 2 keys are snake_case/);
  });
});
