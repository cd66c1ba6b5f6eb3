/** Engines in the plan and the run: unserved protocols are skipped, and skipped is neither pass nor fail. */
import { beforeAll, describe, expect, it } from 'vitest';
import { opensslAvailable } from '../../src/engines/openssl.js';
import { planMatrix } from '../../src/matrix/plan.js';
import { runMatrix } from '../../src/matrix/run.js';
import { summarise } from '../../src/matrix/summary.js';
import { notableObservations } from '../../src/matrix/observations.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
beforeAll(async () => {
  pki = await pkiPerWorker();
});

const plan = () =>
  planMatrix({
    modes: [],
    servers: [
      { name: 'node', mode: 'require_and_verify_client_cert' },
      { name: 'openssl', mode: 'require_and_verify_client_cert', engine: 'openssl' },
    ],
    identities: pki.identities.filter((identity) => ['none', 'valid', 'expired'].includes(identity.name)),
    protocols: ['tls', 'https', 'h2', 'grpc'],
    tls: ['1.2', '1.3'],
  });

describe('planning with engines', () => {
  it('skips the protocols an engine does not serve, with the reason', () => {
    const { servers, cells } = plan();
    expect(servers.map((server) => server.engine ?? 'node')).toEqual(['node', 'node', 'openssl', 'openssl']);
    const skipped = cells.filter((cell) => cell.skipped !== undefined);
    expect(skipped).toHaveLength(3 * 2 * 2);
    for (const cell of skipped) {
      expect(cell.engine).toBe('openssl');
      expect(['h2', 'grpc']).toContain(cell.protocol);
      expect(cell.skipped).toMatch(/openssl s_server speaks no HTTP\/2/);
    }
    expect(cells.filter((cell) => cell.engine === undefined).every((cell) => !cell.skipped)).toBe(true);
  });

  it('takes the default engine for servers that name none', () => {
    const { servers } = planMatrix({
      modes: ['request_client_cert'],
      identities: pki.identities.slice(0, 1),
      protocols: ['tls'],
      tls: ['1.3'],
      engines: ['openssl'],
    });
    expect(servers).toEqual([expect.objectContaining({ engine: 'openssl' })]);
  });
});

const available = await opensslAvailable();

describe.skipIf(!available.ok)('running node and openssl side by side', () => {
  it('runs the served cells, skips the rest, and counts skipped apart', async () => {
    // A generous bound: only a cell that goes wrong waits for it.
    const cells = await runMatrix({ pki, plan: plan(), concurrency: 16, timeoutMs: 15_000 });
    expect(cells).toHaveLength(2 * 3 * 4 * 2);
    expect(cells.filter((cell) => cell.pass === false || cell.verdict === 'inconclusive')).toEqual([]);
    const skipped = cells.filter((cell) => cell.skipped !== undefined);
    expect(
      skipped.every(
        (cell) =>
          cell.request.kind === 'skipped' &&
          cell.durationMs === 0 &&
          cell.verdict === null &&
          cell.pass === null,
      ),
    ).toBe(true);
    const summary = summarise(cells, 1);
    expect(summary).toMatchObject({ cells: 48, skipped: 12, passed: 36, failed: 0 });
    expect(summary.accepted + summary.rejected).toBe(36);
    // openssl cells have no server views and that is no news; node's are all attributed.
    const notes = notableObservations(cells);
    expect(notes.some((note) => note.includes('no server view'))).toBe(false);
    expect(notes.some((note) => note.startsWith('openssl rejections: '))).toBe(true);
    const expiredOpenssl = cells.find(
      (cell) => cell.engine === 'openssl' && cell.identity === 'expired' && cell.tls === '1.2',
    )!;
    expect(expiredOpenssl.handshake).toMatchObject({ kind: 'alert', alert: 'certificate_expired' });
  });
});
