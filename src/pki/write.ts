/**
 * writePki(): lays a PKI out on disk (see layout.ts) with manifest.json. Everything is built
 * in memory first and written into a temporary folder beside DIR; only then are the files
 * moved in, one rename each, so a failure part-way leaves no partial PKI behind.
 *
 * What it may touch: a DIR that does not exist is created (mode 0700). An existing DIR must be
 * a real folder (a symbolic link is refused, even with force) and, without force, empty. With
 * force, only the PKI layout's own paths are replaced: its files (each by one rename, which
 * replaces a symbolic link or other file standing there instead of writing through it) and
 * its sub-folders ca/, server/, clients/ (a symbolic link or file standing in for one is
 * removed and a real folder made). Nothing else in DIR is deleted, a folder standing where a
 * file goes is refused, and the mode of an existing folder is never changed.
 */
import { constants, type Stats } from 'node:fs';
import {
  access,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { abortable } from '../abortable.js';
import { InputError, Interrupted, messageOf, printable } from '../errors.js';
import {
  CA_NAMES,
  CRL_FILE,
  caFiles,
  identityFiles,
  layoutPaths,
  MANIFEST_FILE,
  serverFiles,
  TRUSTSTORE_FILE,
} from './layout.js';
import { IDENTITY_SPECS } from './identities.js';
import { buildManifest, type Manifest } from './manifest.js';
import { manifestText } from './manifest-file.js';
import { crlList } from './pem.js';
import { buildKeystore, buildTruststore } from './pkcs12.js';
import { DEFAULT_P12_PASSWORD, type PkiMaterial } from './types.js';

export { DEFAULT_P12_PASSWORD };

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
  /** Keystores are built only once the target is known to be usable: PBKDF2 is not free. */
  data: string | Buffer | (() => Promise<Buffer>);
  /** Private keys and keystores are for the owner only. */
  secret: boolean;
}

function planFiles(pki: PkiMaterial, manifest: Manifest, password: string): PlannedFile[] {
  const files: PlannedFile[] = [];
  const add = (path: string, data: PlannedFile['data'], secret = false) => files.push({ path, data, secret });
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
  add(
    TRUSTSTORE_FILE,
    () => buildTruststore([{ pem: pki.cas.root.cert, alias: 'mtls-lab root ca' }], password),
    true,
  );
  for (const leaf of leaves) {
    add(leaf.files.cert, leaf.cert!);
    add(leaf.files.key, leaf.key, true);
    add(leaf.files.chain, leaf.chain);
    add(leaf.files.p12, () => buildKeystore(leaf.key, leaf.chain, password, leaf.alias), true);
  }
  add(MANIFEST_FILE, manifestText(manifest));
  return files;
}

/** Each file's content, the keystores built concurrently (PBKDF2 runs on the thread pool). */
function contentsOf(files: PlannedFile[]): Promise<(string | Buffer)[]> {
  return Promise.all(files.map((file) => (typeof file.data === 'function' ? file.data() : file.data)));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** What a path is, in words, for messages. */
function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a file';
}

/** Does DIR hold a manifest.json written by mtls-lab (a regular file, JSON, with a version)? */
async function holdsOurPki(dir: string): Promise<boolean> {
  const path = join(dir, MANIFEST_FILE);
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile() || info.size > 1024 * 1024) return false;
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown; cas?: unknown } | null;
    return typeof json?.version === 'number' && typeof json.cas === 'object';
  } catch {
    return false;
  }
}

/**
 * Refuses a target that is a symbolic link or not a folder, or whose path runs through a
 * file; without force, refuses any non-empty folder (an earlier PKI or anything else).
 */
async function checkTarget(dir: string, paths: readonly string[], force: boolean): Promise<void> {
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    // A file stands where the path needs a folder: nothing can be written there.
    if (error.code === 'ENOTDIR')
      throw new InputError(
        `cannot write the PKI into ${printable(dir)}: part of the path is a file, not a folder. Nothing was written.`,
      );
    return undefined;
  });
  if (!info) return;
  if (info.isSymbolicLink()) {
    throw new InputError(
      `${printable(dir)} is a symbolic link; gen does not write through links, even with --force. Give the real folder as --out. Nothing was written.`,
    );
  }
  if (!info.isDirectory())
    throw new InputError(
      `${printable(dir)} exists and is ${kindOf(info)}, not a folder; choose another --out.`,
    );
  if (force) return;
  // manifest.json first: it is what marks a folder as holding a PKI.
  const ordered = [...paths].sort((a, b) => Number(b === MANIFEST_FILE) - Number(a === MANIFEST_FILE));
  for (const relative of ordered) {
    const path = join(dir, relative);
    if (await lstat(path).catch(() => undefined)) {
      const what = (await holdsOurPki(dir)) ? 'holds an earlier PKI' : 'holds files of a PKI layout';
      throw new InputError(
        `${printable(path)} already exists: ${printable(dir)} ${what}. Nothing was written; use --force to replace it.`,
      );
    }
  }
  const entries = await readdir(dir);
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).map(printable).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new InputError(
      `${printable(dir)} is not empty (it holds ${shown}) and is not an mtls-lab PKI (no manifest.json). Nothing was written; choose a new or empty folder, or use --force to add the PKI's files to it (only the PKI's own paths are replaced).`,
    );
  }
}

/**
 * What writePki would refuse about DIR for a standard PKI (a symbolic link, not a folder, a
 * non-empty folder without force), asked before the PKI exists: gen checks first, so that a
 * refusal costs no key generation. writePki checks again, as the folder may change meanwhile.
 */
export async function checkPkiTarget(dir: string, force = false): Promise<void> {
  const clients = IDENTITY_SPECS.filter((spec) => spec.issuer !== null).map((spec) => spec.name);
  await checkTarget(resolve(dir), layoutPaths(clients), force);
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
  const files = planFiles(pki, manifest, password);
  await checkTarget(
    target,
    files.map((file) => file.path),
    options.force ?? false,
  );
  // The keystores are built here (PBKDF2 on the thread pool, concurrently). An interrupt does
  // not wait for them: what is left is in memory and owns nothing.
  const contents = await abortable(
    contentsOf(files),
    options.signal,
    'while building the PKCS#12 keystores; no PKI was written',
  );

  const parent = dirname(target);
  let staging: string | undefined;
  let created: string[] = [];
  try {
    created = await ensureFolder(parent);
    staging = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
    for (const [index, file] of files.entries()) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, contents[index]!, { mode: file.secret ? 0o600 : 0o644 });
    }
    if (options.signal?.aborted) throw new Interrupted('interrupted; no PKI was written');
    if (!(await exists(target))) {
      // The whole folder appears at once.
      await rename(staging, target);
      staging = undefined;
    } else {
      await moveInto(staging, target, files);
    }
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

/**
 * Into an existing folder: each file replaces its namesake with one atomic rename. A sub-folder
 * of the layout that is a symbolic link (or a file) is replaced by a real folder first, so
 * nothing is ever written through a link.
 */
async function moveInto(staging: string, target: string, files: PlannedFile[]): Promise<void> {
  const folders = (await readdir(staging, { withFileTypes: true })).filter((sub) => sub.isDirectory());
  const realFolders = new Set<string>();
  for (const sub of folders) {
    if ((await lstat(join(target, sub.name)).catch(() => undefined))?.isDirectory())
      realFolders.add(sub.name);
  }
  // Checked before anything changes: a folder standing where a file goes (lstat is only
  // asked inside real folders, never through a link).
  for (const file of files) {
    const folder = dirname(file.path);
    if (folder !== '.' && !realFolders.has(folder)) continue;
    const path = join(target, file.path);
    if ((await lstat(path).catch(() => undefined))?.isDirectory()) {
      throw new InputError(
        `${printable(path)} is a folder where the PKI puts a file; gen --force never deletes folders. Remove it yourself.`,
      );
    }
  }
  for (const sub of folders) {
    if (realFolders.has(sub.name)) continue;
    const folder = join(target, sub.name);
    // A symbolic link (or file) standing in for a layout folder is removed, never followed.
    await rm(folder, { force: true });
    await mkdir(folder, { mode: 0o700 });
  }
  // A folder with a manifest is a complete PKI: drop the old one first and move the new one
  // in last, so a failure in between leaves a folder that no longer claims to be one.
  await rm(join(target, MANIFEST_FILE), { force: true });
  for (const file of files) await rename(join(staging, file.path), join(target, file.path));
}
