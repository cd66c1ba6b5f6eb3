/**
 * Reading user-named files: every failure becomes an InputError that names the file.
 *
 * Every input is checked for its kind before it is read: only regular files are read (a FIFO
 * would block for good, /dev/zero never ends), and never more than a bound suited to the kind
 * of file. The file is opened once, without blocking, and both the kind and the bound are
 * checked on the open handle, so nothing can be swapped in between a check and the read.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { InputError, messageOf, printable } from '../errors.js';

/** Certificates, keys, CRLs and PKCS#12 files: far above any real one, far below trouble. */
export const MAX_PKI_FILE_BYTES = 8 * 1024 * 1024;
/** Scenario files and manifest.json. */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

/** What a file system object is, in words, for messages. */
export function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

export interface ReadFailure {
  /** Wording of each problem, given the file's name as the user should see it. */
  notFound: () => string;
  notRegular: (kind: string) => string;
  tooLarge: (bound: string) => string;
  other: (reason: string) => string;
}

function failures(path: string, what: string): ReadFailure {
  const name = printable(path);
  return {
    notFound: () => `${what} not found: ${name}`,
    notRegular: (kind) =>
      kind === 'a folder'
        ? `${name} is a folder, not a ${what}`
        : `${name} is ${kind}, not a regular file; give a ${what}`,
    tooLarge: (bound) => `${name} is larger than ${bound}, the most a ${what} may be here; nothing was read`,
    other: (reason) => `cannot read ${name}: ${reason}`,
  };
}

/** Reads a regular file of at most `maxBytes`, checking its kind first; anything else is an InputError. */
export async function readBoundedFile(path: string, maxBytes: number, fail: ReadFailure): Promise<Buffer> {
  const refuse = (info: Stats) => {
    if (!info.isFile()) throw new InputError(fail.notRegular(describeKind(info)));
    if (info.size > maxBytes) throw new InputError(fail.tooLarge(sizeInWords(maxBytes)));
  };
  try {
    // A first look by name refuses a device or FIFO without even opening it ...
    refuse(await stat(path));
    // ... and the handle is checked again: O_NONBLOCK, so a FIFO swapped in cannot block the open.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      const info = await handle.stat();
      refuse(info);
      // The file may still grow: never read more than the bound (plus one byte, to notice).
      // Every round reads at least one byte or stops, and the total is capped: bounded.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const room = maxBytes + 1 - total;
        if (room <= 0) throw new InputError(fail.tooLarge(sizeInWords(maxBytes)));
        const chunk = Buffer.alloc(Math.min(room, Math.max(info.size - total + 1, 64 * 1024)));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
      }
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(fail.notFound());
    if (code === 'EISDIR') throw new InputError(fail.notRegular('a folder'));
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(fail.other('permission denied'));
    throw new InputError(fail.other(messageOf(error)));
  }
}

export async function readInputFile(
  path: string,
  what = 'file',
  maxBytes = MAX_PKI_FILE_BYTES,
): Promise<Buffer> {
  return readBoundedFile(path, maxBytes, failures(path, what));
}
