/**
 * manifest.json versions, through the CLI's main(): gen writes version 2, a PKI folder with a
 * version 1 manifest (as mtls-lab wrote before) still runs with --pki, and a version this
 * mtls-lab does not know is bad input (exit 2) that says what to do.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const V1_FIXTURE = new URL('../fixtures/manifest-v1/manifest.json', import.meta.url);
// The manifest names the files of the CAs, identities and CRLs: the identities whose fate
// hangs on them, in a mode that verifies and one that also requires. The protocol and TLS
// version do not depend on the manifest, so one of each is enough.
const SMALL_MATRIX = [
  '--modes',
  'optional,on',
  '--identities',
  'valid,none,expired,revoked',
  '--protocols',
  'tls',
  '--tls',
  '1.3',
];

let work: string;
let pki: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-manifest-'));
  pki = join(work, 'pki');
  const gen = await runMain(['gen', '--out', pki]);
  expect(gen.exitCode, gen.stderr).toBe(0);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('manifest.json versions', () => {
  it('gen writes version 2, valid against its schema', async () => {
    const manifest = parseValid('manifest', await readFile(join(pki, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ version: 2, server_ca: 'ca/root.crt', client_ca: 'ca/root.crt' });
  });

  it('matrix --pki reads a version 1 manifest and judges every cell as with version 2', async () => {
    const current = await runMain(['matrix', '--pki', pki, ...SMALL_MATRIX, '--format', 'json']);
    await copyFile(V1_FIXTURE, join(pki, 'manifest.json'));
    const older = await runMain(['matrix', '--pki', pki, ...SMALL_MATRIX, '--format', 'json']);
    expect(older.stderr).toBe('');
    expect(older.exitCode).toBe(0);
    const [v2, v1] = [parseValid('matrix', current.stdout), parseValid('matrix', older.stdout)];
    expect(v1.summary).toMatchObject({ cells: 2 * 4, passed: 8, failed: 0 });
    expect(v1.pki).toEqual({ key_type: 'ecdsa-p256', dir: pki, generated: false });
    const outcome = (report: typeof v1) =>
      report.cells.map((cell: Record<string, unknown>) => [
        cell.server,
        cell.identity,
        cell.protocol,
        cell.verdict,
      ]);
    expect(outcome(v1)).toEqual(outcome(v2));
  });

  it('refuses a manifest version it does not know with exit 2 and no stack trace', async () => {
    const manifest = parseValid('manifest-v1', await readFile(V1_FIXTURE, 'utf8'));
    await writeFile(join(pki, 'manifest.json'), JSON.stringify({ ...manifest, version: 3 }));
    const run = await runMain(['matrix', '--pki', pki, ...SMALL_MATRIX]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `${join(pki, 'manifest.json')} is manifest version 3, newer than this mtls-lab reads (versions 1 and 2); ` +
        'upgrade mtls-lab, or write the PKI again with this one (mtls-lab gen)',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
