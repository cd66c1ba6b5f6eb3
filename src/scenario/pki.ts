/**
 * preparePki(): the PKI a scenario runs with. `keystores: pkcs12` means servers and clients
 * get their material the way a JVM/Akka setup does, FROM the .p12 files: the server's key and
 * chain from server.p12, the CA it trusts for clients from truststore.p12, each client's key
 * pair from its own .p12 and its trust in the server from truststore.p12. So a keystore that
 * is wrong (bad password, wrong entry) really breaks the run, as it would in production.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { readInputFile } from '../pki/files.js';
import { generatePki } from '../pki/generate.js';
import { identityFiles, serverFiles, TRUSTSTORE_FILE } from '../pki/layout.js';
import { loadPki } from '../pki/load.js';
import { splitPem } from '../pki/pem.js';
import { type Pkcs12Contents, readPkcs12 } from '../pki/pkcs12-read.js';
import type { PkiMaterial } from '../pki/types.js';
import { writePki } from '../pki/write.js';
import type { Scenario } from './types.js';

export interface PreparedPki {
  pki: PkiMaterial;
  /** The folder the .p12 files were read from (temporary for a generated PKI); pem: undefined. */
  keystoreDir?: string;
  /** Removes any temporary keystore folder; safe to call twice. */
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The same certificates, whatever the PEM formatting. */
function sameCertificates(a: string, b: string): boolean {
  const der = (text: string) => splitPem(text).map((block) => block.der.toString('base64'));
  const [left, right] = [der(a), der(b)];
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

async function readStore(dir: string, file: string, password: string): Promise<Pkcs12Contents> {
  const path = join(dir, file);
  return readPkcs12(await readInputFile(path, 'PKCS#12 file'), password, path);
}

/** A key entry: exactly one private key, leaf certificate first. */
function keyEntry(contents: Pkcs12Contents, path: string) {
  const [key] = contents.keys;
  const [leaf] = contents.certificates;
  if (contents.keys.length !== 1 || !key || !leaf) {
    throw new InputError(
      `${path}: expected one private key and its certificate chain, found ${contents.keys.length} key(s) and ${contents.certificates.length} certificate(s)`,
    );
  }
  return { key, cert: leaf.pem, chain: contents.certificates.map((cert) => cert.pem).join('') };
}

/** Replace every key, certificate chain and trust anchor with what the .p12 files in `dir` hold. */
export async function materialFromKeystores(
  base: PkiMaterial,
  dir: string,
  password: string,
): Promise<PkiMaterial> {
  const truststore = await readStore(dir, TRUSTSTORE_FILE, password);
  // Java only trusts entries marked trusted; a store without any marks is taken whole.
  const marked = truststore.certificates.filter((cert) => cert.trusted);
  const trusted = (marked.length > 0 ? marked : truststore.certificates).map((cert) => cert.pem).join('');
  if (!trusted) throw new InputError(`${join(dir, TRUSTSTORE_FILE)}: the truststore holds no certificate`);

  const serverPath = join(dir, serverFiles().p12);
  const server = keyEntry(await readStore(dir, serverFiles().p12, password), serverPath);
  const identities = await Promise.all(
    base.identities.map(async (identity) => {
      // A client that deliberately trusts another CA (the wrong-server-trust control row) has no
      // truststore of its own in the layout; it keeps its own trust so it still fails as designed.
      const serverTrust = sameCertificates(identity.serverTrust, base.serverCa)
        ? trusted
        : identity.serverTrust;
      if (!identity.key) return { ...identity, serverTrust };
      const file = identityFiles(identity.name).p12;
      const entry = keyEntry(await readStore(dir, file, password), join(dir, file));
      return { ...identity, ...entry, serverTrust };
    }),
  );
  return {
    ...base,
    serverCa: trusted,
    clientCa: trusted,
    server: { ...base.server, key: server.key, cert: server.cert, chain: server.chain },
    identities,
    dir: base.dir ?? dir,
  };
}

export async function preparePki(
  scenario: Pick<Scenario, 'pki'>,
  signal?: AbortSignal,
): Promise<PreparedPki> {
  const spec = scenario.pki;
  let temp: string | undefined;
  const dispose = async () => {
    const folder = temp;
    temp = undefined;
    if (folder) await rm(folder, { recursive: true, force: true });
  };
  try {
    const base =
      spec.source === 'dir'
        ? await loadPki(spec.dir)
        : await generatePki({ keyType: spec.keyType, days: spec.days }, signal);
    let pki = base;
    let dir: string | undefined;
    if (spec.keystores === 'pkcs12') {
      if (spec.source === 'dir') {
        dir = spec.dir;
      } else {
        temp = await mkdtemp(join(tmpdir(), 'mtls-lab-keystores-'));
        dir = (await writePki(base, join(temp, 'pki'), { p12Password: spec.p12Password })).dir;
      }
      pki = await materialFromKeystores(base, dir, spec.p12Password);
      // The keystores of a generated PKI live only for this run.
      if (spec.source === 'generate') pki = { ...pki, dir: undefined };
    }
    return { pki, keystoreDir: dir, dispose, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
