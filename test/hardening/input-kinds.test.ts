/**
 * Every input is checked for its kind before it is read, with a size bound. A FIFO given to
 * inspect runs the built binary: a regression would block a real process on the pipe, which
 * its timeout ends. The other inputs run the same entry point in-process.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PKI_FILE_BYTES, MAX_TEXT_FILE_BYTES, readInputFile } from '../../src/pki/files.js';
import { mtlsLab, runMain } from '../helpers/cli.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let work: string;
let fifo: string;
let ca: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mtls-lab-input-kinds-'));
  fifo = join(work, 'pipe');
  await execa('mkfifo', [fifo]);
  ca = join(work, 'root.crt');
  writeFileSync(ca, (await pkiPerWorker()).cas.root.cert);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('inputs that are not regular files', () => {
  it('refuses a FIFO given to inspect with exit 2, naming it and what it is (built binary)', async () => {
    const run = await mtlsLab(['inspect', fifo]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/pipe is a FIFO \(named pipe\), not a regular file/);
  });

  it.each([
    ['a FIFO given as the CRL', () => ['inspect', ca, '--ca', ca, '--crl', fifo], /pipe is a FIFO/],
    [
      'a FIFO given as a scenario',
      () => ['matrix', fifo],
      /pipe: is a FIFO \(named pipe\), not a regular file/,
    ],
    ['/dev/zero given to inspect', () => ['inspect', '/dev/zero'], /\/dev\/zero is a character device/],
    ['/dev/zero given as a scenario', () => ['matrix', '/dev/zero'], /\/dev\/zero: is a character device/],
  ])('refuses %s with exit 2, naming it and what it is', async (_, args, message) => {
    const run = await runMain(args());
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('size bounds', () => {
  it('refuses a 300 MB file given to inspect, naming the bound, without reading it', async () => {
    const big = join(work, 'big.pem');
    writeFileSync(big, '');
    truncateSync(big, 300 * 1024 * 1024); // sparse: costs no disk
    const run = await runMain(['inspect', big]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${big} is larger than 8 MiB`);
    rmSync(big);
  });

  it('refuses a scenario over 1 MiB', async () => {
    const big = join(work, 'big.yaml');
    writeFileSync(big, `name: x\n# ${'x'.repeat(MAX_TEXT_FILE_BYTES)}\n`);
    const run = await runMain(['matrix', big]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('larger than 1 MiB');
  });

  it('reads a file right at the bound, and refuses one byte more', async () => {
    const edge = join(work, 'edge.bin');
    writeFileSync(edge, Buffer.alloc(MAX_PKI_FILE_BYTES, 1));
    expect((await readInputFile(edge)).length).toBe(MAX_PKI_FILE_BYTES);
    writeFileSync(edge, Buffer.alloc(MAX_PKI_FILE_BYTES + 1, 1));
    await expect(readInputFile(edge)).rejects.toThrow(/larger than 8 MiB/);
    rmSync(edge);
  });
});
