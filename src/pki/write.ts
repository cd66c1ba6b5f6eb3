/**
 * writePki(): lays a PKI out on disk (see layout.ts) with manifest.json. Everything is built
 * in memory first and written into a temporary folder beside DIR; only then are the files
 * moved in, one rename each, so a failure part-way leaves no partial PKI behind.
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, Interrupted, messageOf } from '../errors.js';
import {
  CA_NAMES,
  CRL_FILE,
  caFiles,
  identityFiles,
  MANIFEST_FILE,
  serverFiles,
  TRUSTSTORE_FILE,
} from './layout.js';
import { buildManifest, type Manifest } from './manifest.js';
import { crlList } from './pem.js';
import { buildKeystore, buildTruststore } from './pkcs12.js';
import type { PkiMaterial } from './types.js';

export const DEFAULT_P12_PASSWORD = 'changeit';

export interface WriteOptions {
  /** Replace an earlier PKI in DIR. */
  force?: boolean;
  /** Password of every .p12 (default `changeit`, the JVM convention). */
  p12Password?: string;
  /** Ctrl-C: stop before anything is moved into place, and leave nothing behind. */
  signal?: AbortSignal;
}

export interface WriteResult {
  dir: string;
  manifest: Manifest;
  /** Every file written, relative to dir, in layout order. */
  files: string[];
}

interface PlannedFile {
  path: string;
  data: string | Buffer;
  /** Private keys and keystores are for the owner only. */
  secret: boolean;
}

async function planFiles(pki: PkiMaterial, manifest: Manifest, password: string): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  const add = (path: string, data: string | Buffer, secret = false) => files.push({ path, data, secret });
  const [rootCrl = '', intermediateCrl = ''] = crlList(pki);
  for (const name of CA_NAMES) {
    add(caFiles(name).cert, pki.cas[name].cert);
    add(caFiles(name).key, pki.cas[name].key, true);
  }
  add(caFiles('root').crl, rootCrl);
  add(caFiles('intermediate').crl, intermediateCrl);
  add(CRL_FILE, pki.crl);
  const leaves = [
    { files: serverFiles(), alias: 'server', ...pki.server },
    ...pki.identities.flatMap((id) =>
      id.cert && id.key && id.chain
        ? [{ files: identityFiles(id.name), alias: id.name, ...id, key: id.key, chain: id.chain }]
        : [],
    ),
  ];
  // PBKDF2 runs on the thread pool, so the keystores are built concurrently.
  const [truststore, ...keystores] = await Promise.all([
    buildTruststore([{ pem: pki.cas.root.cert, alias: 'mtls-lab root ca' }], password),
    ...leaves.map((leaf) => buildKeystore(leaf.key, leaf.chain, password, leaf.alias)),
  ]);
  add(TRUSTSTORE_FILE, truststore!, true);
  leaves.forEach((leaf, index) => {
    add(leaf.files.cert, leaf.cert!);
    add(leaf.files.key, leaf.key, true);
    add(leaf.files.chain, leaf.chain);
    add(leaf.files.p12, keystores[index]!, true);
  });
  add(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to touch a folder that holds an earlier PKI (or any file we would write) unless forced. */
async function checkTarget(dir: string, files: PlannedFile[], force: boolean): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new InputError(`${dir} exists and is not a folder; choose another --out.`);
  if (force) return;
  // manifest.json first: it is what marks a folder as holding a PKI.
  const ordered = [...files].sort(
    (a, b) => Number(b.path === MANIFEST_FILE) - Number(a.path === MANIFEST_FILE),
  );
  for (const file of ordered) {
    const path = join(dir, file.path);
    if (await exists(path)) {
      throw new InputError(
        `${path} already exists: ${dir} holds an earlier PKI. Nothing was written; use --force to replace it.`,
      );
    }
  }
}

function writeError(error: unknown, folder: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (
    code &&
    ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'ENOENT', 'EEXIST', 'EISDIR'].includes(code)
  ) {
    return new InputError(`cannot write the PKI into ${folder}: ${messageOf(error)}. Nothing was written.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export async function writePki(
  pki: PkiMaterial,
  dir: string,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const target = resolve(dir);
  const password = options.p12Password ?? DEFAULT_P12_PASSWORD;
  const manifest = buildManifest(pki, password);
  const files = await planFiles(pki, manifest, password);
  await checkTarget(target, files, options.force ?? false);

  const parent = dirname(target);
  let staging: string | undefined;
  let created: string[] = [];
  try {
    created = await ensureFolder(parent);
    staging = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
    for (const file of files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, file.data, { mode: file.secret ? 0o600 : 0o644 });
    }
    if (options.signal?.aborted) throw new Interrupted('interrupted; no PKI was written');
    if (!(await exists(target))) {
      // The whole folder appears at once.
      await rename(staging, target);
      staging = undefined;
    } else {
      await moveInto(staging, target, files);
    }
    await chmod(target, 0o700);
  } catch (error) {
    if (staging) await rm(staging, { recursive: true, force: true });
    staging = undefined;
    // Folders made for this PKI go too, deepest first.
    for (const folder of created.reverse()) await rmdir(folder).catch(() => undefined);
    throw writeError(error, (await exists(parent)) ? target : parent);
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
  return { dir: target, manifest, files: files.map((file) => file.path) };
}

/**
 * mkdir -p, one level at a time: Node's own `recursive: true` spins forever on some special
 * file systems (e.g. under /proc), where each level fails with ENOENT.
 */
async function ensureFolder(folder: string): Promise<string[]> {
  const missing: string[] = [];
  let current = folder;
  while (!(await exists(current))) {
    missing.unshift(current);
    const up = dirname(current);
    if (up === current) break;
    current = up;
  }
  const created: string[] = [];
  for (const level of missing) {
    await mkdir(level, { mode: 0o700 });
    created.push(level);
  }
  return created;
}

/** Into an existing folder: each file replaces its namesake with one atomic rename. */
async function moveInto(staging: string, target: string, files: PlannedFile[]): Promise<void> {
  for (const sub of await readdir(staging, { withFileTypes: true })) {
    if (sub.isDirectory()) await mkdir(join(target, sub.name), { recursive: true, mode: 0o700 });
  }
  // A folder with a manifest is a complete PKI: drop the old one first and move the new one
  // in last, so a failure in between leaves a folder that no longer claims to be one.
  await rm(join(target, MANIFEST_FILE), { force: true });
  for (const file of files) await rename(join(staging, file.path), join(target, file.path));
}
