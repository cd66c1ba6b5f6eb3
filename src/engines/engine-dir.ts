/**
 * Temporary folders of external engines: configuration, keys, logs and PID file of one
 * server. Each carries a marker naming the process that made it, written before anything
 * else, so that folders left by a run that was killed outright (its supervisor killed too)
 * are found and removed by the next run: only ours (our prefix, our marker), and only when
 * the process that made them is gone.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ENGINE_DIR_PREFIX = 'mtls-lab-engine-';
const MARKER = '.mtls-lab-engine';
const MARKER_TEXT = 'mtls-lab engine folder, made by process ';

let swept: Promise<void> | undefined;

/** A fresh 0700 folder for one engine server, marked as ours. */
export async function engineDir(engine: string): Promise<string> {
  swept ??= sweepStale().then(
    () => undefined,
    () => undefined,
  );
  await swept;
  const dir = await mkdtemp(join(tmpdir(), `${ENGINE_DIR_PREFIX}${engine}-`));
  await writeFile(join(dir, MARKER), `${MARKER_TEXT}${process.pid}\n`, { mode: 0o600 });
  return dir;
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID that made an engine folder, or undefined when the folder is not one of ours. */
export async function ownerOf(dir: string): Promise<number | undefined> {
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) return undefined;
    const text = await readFile(join(dir, MARKER), 'utf8');
    if (!text.startsWith(MARKER_TEXT)) return undefined;
    const pid = Number(text.slice(MARKER_TEXT.length).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the engine folders whose maker is dead; run once per process, before the first engine. */
export async function sweepStale(root = tmpdir()): Promise<string[]> {
  const names = (await readdir(root)).filter((name) => name.startsWith(ENGINE_DIR_PREFIX));
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const owner = await ownerOf(dir);
    if (owner === undefined || owner === process.pid || alive(owner)) continue;
    await removeDir(dir);
    removed.push(dir);
  }
  return removed;
}
