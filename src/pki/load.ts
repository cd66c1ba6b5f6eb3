/**
 * loadPki(DIR): reads a folder written by writePki back into PkiMaterial. Every file is checked
 * as it is read (certificates parse, keys parse and match their certificates, CRLs are there),
 * and any problem is an InputError naming the file.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, messageOf, printable } from '../errors.js';
import { MAX_TEXT_FILE_BYTES, readInputFile } from './files.js';
import { certificateInfo } from './info.js';
import { MANIFEST_FILE } from './layout.js';
import type { Manifest } from './manifest.js';
import { parseManifest } from './manifest-file.js';
import { pemBlocks } from './pem.js';
import type { IdentityMaterial, PkiMaterial } from './types.js';

/** DIR's manifest.json (version 1 or 2), checked; any problem is an InputError naming it. */
export async function readManifest(dir: string): Promise<Manifest> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new InputError(`PKI folder not found: ${dir}`);
  if (!info.isDirectory())
    throw new InputError(`${dir} is not a folder; expected a PKI folder written by mtls-lab gen`);
  const path = join(dir, MANIFEST_FILE);
  if (!(await stat(path).catch(() => undefined))) {
    throw new InputError(`${dir} holds no PKI: ${path} not found (write one with mtls-lab gen --out ${dir})`);
  }
  const text = await readInputFile(path, 'manifest', MAX_TEXT_FILE_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text.toString('utf8'));
  } catch (error) {
    // V8's message quotes the text; an error names only the file and the position.
    const at = /at position (\d+)/.exec(messageOf(error))?.[1];
    throw new InputError(`${printable(path)} is not valid JSON${at === undefined ? '' : ` (at byte ${at})`}`);
  }
  return parseManifest(json, path);
}

/** Reads files the manifest names, never outside the folder. */
function fileReader(dir: string) {
  const cache = new Map<string, Promise<string>>();
  return (relativePath: string): Promise<string> => {
    const path = resolve(dir, relativePath);
    const inside = relative(dir, path);
    if (isAbsolute(relativePath) || inside.startsWith('..')) {
      return Promise.reject(
        new InputError(`${join(dir, MANIFEST_FILE)} names a file outside the folder: ${relativePath}`),
      );
    }
    let text = cache.get(path);
    if (!text) {
      text = readInputFile(path).then((data) => data.toString('utf8'));
      cache.set(path, text);
    }
    return text;
  };
}

function checkCertificates(text: string, path: string): X509Certificate[] {
  const blocks = pemBlocks(text, 'CERTIFICATE');
  if (blocks.length === 0) throw new InputError(`${path} holds no PEM certificate`);
  return blocks.map((pem) => {
    try {
      return new X509Certificate(pem);
    } catch (error) {
      throw new InputError(`${path} holds a corrupt certificate: ${messageOf(error)}`);
    }
  });
}

function checkKeyPair(keyText: string, keyPath: string, cert: X509Certificate, certPath: string): void {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    throw new InputError(`${keyPath} is not a readable private key: ${messageOf(error)}`);
  }
  if (!cert.checkPrivateKey(key))
    throw new InputError(`${keyPath} does not match the certificate in ${certPath}`);
}

export async function loadPki(dir: string): Promise<PkiMaterial> {
  const root = resolve(dir);
  const manifest = await readManifest(root);
  const read = fileReader(root);
  const where = (path: string) => join(root, path);

  const pair = async (certPath: string, keyPath: string, chainPath?: string) => {
    const [cert, key, chain] = await Promise.all([
      read(certPath),
      read(keyPath),
      chainPath ? read(chainPath) : undefined,
    ]);
    const [leaf] = checkCertificates(cert, where(certPath));
    checkKeyPair(key, where(keyPath), leaf!, where(certPath));
    if (chainPath && chain !== undefined) checkCertificates(chain, where(chainPath));
    return { cert, key, chain: chain ?? cert, info: certificateInfo(leaf!) };
  };

  const [serverCa, clientCa, crl] = await Promise.all([
    read(manifest.serverCa),
    read(manifest.clientCa),
    read(manifest.crl),
  ]);
  checkCertificates(serverCa, where(manifest.serverCa));
  checkCertificates(clientCa, where(manifest.clientCa));
  if (pemBlocks(crl, 'X509 CRL').length === 0)
    throw new InputError(`${where(manifest.crl)} holds no PEM CRL`);

  const ca = async (entry: Manifest['cas']['root']) => {
    const { cert, key, info } = await pair(entry.cert, entry.key);
    return { cert, key, info };
  };
  const identities = manifest.identities.map(async (entry): Promise<IdentityMaterial> => {
    const serverTrust = await read(entry.serverTrust);
    checkCertificates(serverTrust, where(entry.serverTrust));
    const base = { name: entry.name, description: entry.description, serverTrust, traits: entry.traits };
    if (!entry.cert || !entry.key) return base;
    return { ...base, ...(await pair(entry.cert, entry.key, entry.chain)) };
  });
  // One Promise.all, so that when one file is bad no other rejection goes unhandled.
  const [server, rootCa, intermediateCa, unrelatedCa, ...loaded] = await Promise.all([
    pair(manifest.server.cert, manifest.server.key, manifest.server.chain),
    ca(manifest.cas.root),
    ca(manifest.cas.intermediate),
    ca(manifest.cas.unrelated),
    ...identities,
  ]);
  return {
    keyType: manifest.keyType,
    serverCa,
    clientCa,
    crl,
    server,
    cas: { root: rootCa, intermediate: intermediateCa, unrelated: unrelatedCa },
    identities: loaded as IdentityMaterial[],
    dir: root,
  };
}
