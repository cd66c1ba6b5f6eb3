/**
 * Every name the tool prints is accepted back as input: the grid's mode names, the TLS versions
 * as the reports and handshakes write them, the protocols and identities of the JSON report.
 * Both runs are main() in this process: what is printed and parsed is the point, not the process.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MODE_PROMISES, MODES } from '../../src/modes.js';
import { parseMatrixOptions } from '../../src/commands/matrix.js';
import { runMain } from '../helpers/cli.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-names-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const raw = { keyType: 'ecdsa-p256', concurrency: '8', timeout: '5', crl: true, format: 'table' };

it('takes back what a run printed: grid modes, "TLS 1.3", "TLSv1.3", protocols and identities', async () => {
  const json = join(work, 'run.json');
  const first = await runMain([
    'matrix',
    '--identities',
    'none',
    '--protocols',
    'tls',
    '--tls',
    '1.3',
    '-v',
    '--report',
    'table=-',
    '--report',
    `json=${json}`,
  ]);
  expect(first.exitCode).toBe(0);
  const header = first.stdout.split('\n').find((line) => line.startsWith('identity '))!;
  const gridModes = header.split(/\s+/).slice(1);
  expect(gridModes).toHaveLength(5);
  const verboseTls = /× (TLS 1\.3): /.exec(first.stdout)![1]!;
  const report = JSON.parse(await readFile(json, 'utf8')) as {
    summary: { protocols: string[]; identities: string[] };
    cells: { handshake: { tls_version: string | null }; server: string }[];
  };
  const handshakeTls = report.cells.find((cell) => cell.handshake.tls_version)!.handshake.tls_version!;
  const serverTls = report.cells[0]!.server.split('@')[1]!;
  expect([verboseTls, handshakeTls, serverTls]).toEqual(['TLS 1.3', 'TLSv1.3', 'tls1.3']);

  const again = await runMain([
    'matrix',
    '--modes',
    gridModes.join(','),
    '--tls',
    handshakeTls,
    '--protocols',
    report.summary.protocols.join(','),
    '--identities',
    report.summary.identities.join(','),
    '--format',
    'json',
  ]);
  expect(again.exitCode, again.stderr).toBe(0);
  expect(JSON.parse(again.stdout).summary).toMatchObject({ cells: 5, modes: MODES, tls: ['1.3'] });
  for (const tls of [verboseTls, serverTls])
    expect(parseMatrixOptions(undefined, { ...raw, tls }).filters.tls).toEqual(['1.3']);
});

it('takes every alias `mtls-lab modes` prints for a mode, and HTTP/1.1 and HTTP/2 for protocols', () => {
  for (const mode of MODES)
    for (const alias of [mode, ...MODE_PROMISES[mode].aliases.map((a) => a.name)])
      expect(parseMatrixOptions(undefined, { ...raw, modes: alias }).filters.modes).toEqual([mode]);
  expect(
    parseMatrixOptions(undefined, { ...raw, protocols: 'HTTP/1.1,HTTP/2,gRPC,TLS' }).filters.protocols,
  ).toEqual(['tls', 'https', 'h2', 'grpc']);
});
