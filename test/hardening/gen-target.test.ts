/**
 * gen writes only what is ours: non-empty folders, folder modes, symbolic links. Refusals go
 * through gen itself (one through the built binary); where and how a PKI is written is
 * writePki's job (gen's last step), so those cases write one PKI made once for the file.
 */
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
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { mtlsLab, runMain } from '../helpers/cli.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let base: string;
let pki: PkiMaterial;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'mtls-lab-gen-target-'));
  pki = await pkiPerWorker();
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o7777;
const noStaging = () => expect(readdirSync(base).filter((name) => name.includes('.tmp-'))).toEqual([]);

describe('gen --out an existing folder', () => {
  it('refuses a non-empty folder that is not a PKI, leaving it and its mode alone (built binary)', async () => {
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
    noStaging();
  });

  it('refuses --out that is a symbolic link, even with --force, writing nothing', async () => {
    const real = join(base, 'real');
    mkdirSync(real);
    const link = join(base, 'link');
    symlinkSync(real, link);
    for (const extra of [[], ['--force']]) {
      const run = await runMain(['gen', '--out', link, ...extra]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/symbolic link/);
      expect(readdirSync(real)).toEqual([]);
    }
    noStaging();
  });

  it('writes into an empty folder without changing its mode', async () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    chmodSync(empty, 0o755);
    await writePki(pki, empty);
    expect(mode(empty)).toBe(0o755);
    expect(existsSync(join(empty, 'manifest.json'))).toBe(true);
  });

  it('with force adds the PKI beside other files, keeps the folder mode, and replaces symbolic links instead of writing through them', async () => {
    const project = join(base, 'forced');
    mkdirSync(project);
    chmodSync(project, 0o1777);
    writeFileSync(join(project, 'README'), 'mine');
    await writePki(pki, project, { force: true });
    expect(mode(project)).toBe(0o1777);
    expect(readFileSync(join(project, 'README'), 'utf8')).toBe('mine');
    expect(existsSync(join(project, 'manifest.json'))).toBe(true);

    // Now a PKI: a link stands in for one of its folders, and one for one of its files.
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'valid.key'), 'precious');
    rmSync(join(project, 'clients'), { recursive: true });
    symlinkSync(elsewhere, join(project, 'clients'));
    const outside = join(base, 'outside.key');
    writeFileSync(outside, 'also precious');
    rmSync(join(project, 'ca/root.key'));
    symlinkSync(outside, join(project, 'ca/root.key'));

    await writePki(pki, project, { force: true });
    expect(readdirSync(elsewhere)).toEqual(['valid.key']);
    expect(readFileSync(join(elsewhere, 'valid.key'), 'utf8')).toBe('precious');
    expect(readFileSync(outside, 'utf8')).toBe('also precious');
    expect(lstatSync(join(project, 'clients')).isDirectory()).toBe(true);
    expect(lstatSync(join(project, 'ca/root.key')).isFile()).toBe(true);
    expect(existsSync(join(project, 'clients/valid.key'))).toBe(true);
    expect(mode(project)).toBe(0o1777);
    noStaging();
  });
});
