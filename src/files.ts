/** File writing that never leaves a half-written file behind, and never replaces what is not ours. */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from './errors.js';

/** Write to a temporary sibling, then rename over the target: readers see old or new, never half. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { mode, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new InputError(`Cannot write ${path}: ${messageOf(error)}`);
  }
}

const kindOf = (info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isSocket(): boolean;
}) =>
  info.isDirectory()
    ? 'a folder'
    : info.isFIFO()
      ? 'a FIFO'
      : info.isCharacterDevice()
        ? 'a device'
        : info.isSocket()
          ? 'a socket'
          : 'not a regular file';

/**
 * Writes a report where the user asked. A regular file (or a new one, its missing parent folders
 * made) is replaced atomically, or appended to; a device, FIFO or `/dev/stdout` is written into
 * directly and never renamed over; a symlink is followed to what it names, which is then
 * treated the same way, so the link itself stays; a folder is refused.
 */
export async function writeReport(
  path: string,
  data: string,
  options: { append?: boolean } = {},
): Promise<void> {
  const target = resolve(path);
  let info;
  try {
    info = await lstat(target);
  } catch {
    try {
      await mkdir(dirname(target), { recursive: true });
    } catch (error) {
      throw new InputError(`Cannot write ${path}: cannot make its folder: ${messageOf(error)}`);
    }
    return options.append ? appendTo(path, target, data) : writeFileAtomic(target, data);
  }
  const real = info.isSymbolicLink() ? await realpath(target).catch(() => target) : target;
  const what = info.isSymbolicLink() ? await stat(real).catch(() => undefined) : info;
  if (what?.isDirectory()) throw new InputError(`Cannot write ${path}: it is a folder`);
  if (what?.isFile()) return options.append ? appendTo(path, real, data) : writeFileAtomic(real, data);
  // Not a regular file: write into it as it is (a terminal, a pipe, /dev/null) and replace nothing.
  try {
    await writeFile(real, data, { flag: options.append ? 'a' : 'w' });
  } catch (error) {
    throw new InputError(
      `Cannot write ${path} (${what ? kindOf(what) : 'a dangling link'}): ${messageOf(error)}`,
    );
  }
}

async function appendTo(path: string, real: string, data: string): Promise<void> {
  try {
    await writeFile(real, data, { flag: 'a' });
  } catch (error) {
    throw new InputError(`Cannot write ${path}: ${messageOf(error)}`);
  }
}
