/** gen writes only what is ours: non-empty folders, folder modes, symbolic links (built binary). */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsLab } from '../helpers/cli.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mtls-lab-gen-target-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o7777;

describe('gen --out an existing folder (built binary)', () => {
  it('refuses a non-empty folder that is not a PKI, leaving it and its mode alone', async () => {
    const project = join(base, 'project');
    mkdirSync(project);
    chmodSync(project, 0o755);
    writeFileSync(join(project, 'README'), 'mine');
    const run = await mtlsLab(['gen', '--out', project]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(project);
    expect(run.stderr).toMatch(/not empty/);
    expect(run.stderr).toContain('--force');
    expect(readdirSync(project)).toEqual(['README']);
    expect(mode(project)).toBe(0o755);
    expect(readdirSync(base).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('with --force adds the PKI without touching other files or the folder mode', async () => {
    const project = join(base, 'forced');
    mkdirSync(project);
    chmodSync(project, 0o1777);
    writeFileSync(join(project, 'README'), 'mine');
    const run = await mtlsLab(['gen', '--out', project, '--force']);
    expect(run.exitCode).toBe(0);
    expect(mode(project)).toBe(0o1777);
    expect(readFileSync(join(project, 'README'), 'utf8')).toBe('mine');
    expect(existsSync(join(project, 'manifest.json'))).toBe(true);
  });

  it('writes into an empty folder without changing its mode', async () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    chmodSync(empty, 0o755);
    const run = await mtlsLab(['gen', '--out', empty]);
    expect(run.exitCode).toBe(0);
    expect(mode(empty)).toBe(0o755);
    expect(existsSync(join(empty, 'manifest.json'))).toBe(true);
  });

  it('refuses --out that is a symbolic link, even with --force, writing nothing', async () => {
    const real = join(base, 'real');
    mkdirSync(real);
    const link = join(base, 'link');
    symlinkSync(real, link);
    for (const extra of [[], ['--force']]) {
      const run = await mtlsLab(['gen', '--out', link, ...extra]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/symbolic link/);
      expect(readdirSync(real)).toEqual([]);
    }
  });

  it('with --force replaces a symlinked sub-folder instead of writing through it', async () => {
    const pki = join(base, 'pki');
    expect((await mtlsLab(['gen', '--out', pki])).exitCode).toBe(0);
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'valid.key'), 'precious');
    rmSync(join(pki, 'clients'), { recursive: true });
    symlinkSync(elsewhere, join(pki, 'clients'));
    // A link at a file's own path is replaced too, not written through.
    const outside = join(base, 'outside.key');
    writeFileSync(outside, 'also precious');
    rmSync(join(pki, 'ca/root.key'));
    symlinkSync(outside, join(pki, 'ca/root.key'));

    const run = await mtlsLab(['gen', '--out', pki, '--force']);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(elsewhere)).toEqual(['valid.key']);
    expect(readFileSync(join(elsewhere, 'valid.key'), 'utf8')).toBe('precious');
    expect(readFileSync(outside, 'utf8')).toBe('also precious');
    expect(lstatSync(join(pki, 'clients')).isDirectory()).toBe(true);
    expect(lstatSync(join(pki, 'ca/root.key')).isFile()).toBe(true);
    expect(existsSync(join(pki, 'clients/valid.key'))).toBe(true);
  });
});
