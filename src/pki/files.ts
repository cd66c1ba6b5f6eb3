/** Reading user-named files: every failure becomes an InputError that names the file. */
import { readFile } from 'node:fs/promises';
import { InputError, messageOf } from '../errors.js';

export async function readInputFile(path: string, what = 'file'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw new InputError(`${path} is a folder, not a ${what}`);
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(`cannot read ${path}: permission denied`);
    throw new InputError(`cannot read ${path}: ${messageOf(error)}`);
  }
}
