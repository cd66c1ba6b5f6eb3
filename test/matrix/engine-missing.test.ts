/**
 * Without an openssl binary, every cell of an openssl server is skipped with the reason, none
 * fails. The engine's program is read from $MTLS_LAB_OPENSSL when the process starts, so this
 * runs the built binary with it pointing nowhere.
 */
import { describe, expect, it } from 'vitest';
import { mtlsLab } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

describe('openssl engine not installed', () => {
  it('skips every openssl cell with the reason and still runs the node ones', async () => {
    const run = await mtlsLab(
      [
        'matrix',
        '--engine',
        'node,openssl',
        '--modes',
        'no_client_certs',
        '--identities',
        'valid',
        '--protocols',
        'tls,h2',
        '--tls',
        '1.3',
        '--format',
        'json',
      ],
      { env: { MTLS_LAB_OPENSSL: '/nonexistent/mtls-lab-test/openssl' } },
    );
    expect(run.exitCode).toBe(0);
    const report = parseValid('matrix', run.stdout);
    type Cell = { engine: string; verdict: string | null; skipped: string | null };
    const cells = report.cells as Cell[];
    expect(cells.filter((cell) => cell.engine === 'openssl').map((cell) => cell.skipped)).toEqual([
      expect.stringMatching(/^openssl is not available: \/nonexistent\/mtls-lab-test\/openssl not installed/),
      expect.stringContaining('speaks no HTTP/2'),
    ]);
    expect(cells.filter((cell) => cell.engine === 'node').map((cell) => cell.verdict)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(report.summary).toMatchObject({ cells: 4, passed: 2, failed: 0, skipped: 2 });
  });
});
