/**
 * What an engine builds from its shipped source (the go engine's binary, the jvm engine's
 * classes), kept across runs in the user's cache folder: $XDG_CACHE_HOME/mtls-lab/<name>, or
 * ~/.cache/mtls-lab/<name>, one folder per key (a hash of the source and the toolchain's
 * version), so a new source or toolchain builds afresh and nothing is ever rebuilt in place.
 *
 * A build goes into a temporary folder beside its final one and is renamed into place whole,
 * so a folder under its final name is always complete: a failed or killed build leaves no half
 * result under that name, and two runs building at once both succeed (the first rename wins,
 * the other's copy is discarded). A temporary folder left by a killed build is removed by the
 * next build once the process that made it is gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { alive, removeDir } from './engine-dir.js';

const TEMP = /^\.build-(\d+)-[0-9a-f]+$/;

/** $XDG_CACHE_HOME/mtls-lab/<name> (an absolute XDG_CACHE_HOME only, as the spec says), else ~/.cache/mtls-lab/<name>. */
export function cacheFolder(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'mtls-lab', name);
}

/** A folder name from everything the built result depends on. */
export function cacheKey(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex').slice(0, 32);
}

/** Builds of this process in flight, by final folder: one build per folder per process. */
const inFlight = new Map<string, Promise<string | undefined>>();

/**
 * The folder `root/key` holding what `build(dir)` writes into `dir`, built now when it is not
 * there yet. undefined when the cache cannot be used here (the folder cannot be made, is not
 * writable, or is not this user's own): the caller then builds somewhere throw-away. A build
 * that fails throws, leaving nothing under `root`.
 */
export async function cachedBuild(
  root: string,
  key: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  const final = join(root, key);
  if (await ownFolder(final)) return final;
  if (!(await usableRoot(root))) return undefined;
  let building = inFlight.get(final);
  if (building === undefined) {
    building = buildInto(root, final, build).finally(() => inFlight.delete(final));
    inFlight.set(final, building);
  }
  return building;
}

async function buildInto(
  root: string,
  final: string,
  build: (dir: string) => Promise<void>,
): Promise<string | undefined> {
  await sweepTemps(root);
  const temp = join(root, `.build-${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(temp, { mode: 0o700 });
  try {
    await build(temp);
    try {
      await rename(temp, final);
    } catch (error) {
      // Another run put its (equally complete) build there first.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    return (await ownFolder(final)) ? final : undefined;
  } finally {
    await removeDir(temp);
  }
}

/** Made if missing, a real folder of this user's that only this user can write to. */
async function usableRoot(root: string): Promise<boolean> {
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    if (!(await ownFolder(root))) return false;
    await access(root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function ownFolder(path: string): Promise<boolean> {
  try {
    const stat = await lstat(path);
    const mine = !process.getuid || stat.uid === process.getuid();
    return stat.isDirectory() && mine && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Removes the temporary folders of builds whose process is gone (killed mid-build). */
async function sweepTemps(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [])) {
    const pid = TEMP.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid))) await removeDir(join(root, name));
  }
}
