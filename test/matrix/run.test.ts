/** runMatrix for real: servers, clients, attribution, and teardown on success and abort. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Interrupted } from '../../src/errors.js';
import { planMatrix } from '../../src/matrix/plan.js';
import { runMatrix } from '../../src/matrix/run.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { eventually, trackResources } from '../helpers/resource-tracker.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
beforeAll(async () => {
  pki = await pkiPerWorker();
});

/** Generous: only a cell that goes wrong waits for it, and a busy machine must not look like one. */
const TIMEOUT_MS = 15_000;

const plan = () =>
  planMatrix({
    modes: ['request_client_cert', 'require_and_verify_client_cert'],
    identities: pki.identities.filter((identity) =>
      ['none', 'valid', 'self-signed', 'revoked', 'wrong-server-trust'].includes(identity.name),
    ),
    protocols: ['tls', 'https', 'h2', 'grpc'],
    tls: ['1.2', '1.3'],
  });

describe('runMatrix', () => {
  it('judges every cell, links it to what the server saw of it, and leaves nothing behind', async () => {
    const resources = trackResources();
    const cells = await resources.scope(() =>
      runMatrix({ pki, plan: plan(), concurrency: 16, timeoutMs: TIMEOUT_MS }),
    );
    expect(cells).toHaveLength(2 * 5 * 4 * 2);
    const failed = cells.filter((cell) => !cell.pass);
    expect(failed.map((cell) => `${cell.server} ${cell.identity} ${cell.protocol}: ${cell.how}`)).toEqual([]);
    for (const cell of cells) {
      const identity = pki.identities.find((candidate) => candidate.name === cell.identity)!;
      // The client that refuses the server may hang up before the server has a full view of it.
      if (cell.identity === 'wrong-server-trust') continue;
      expect(cell.serverViews, `${cell.server} ${cell.identity} ${cell.protocol}`).toHaveLength(1);
      const [view] = cell.serverViews;
      expect(view!.presented).toBe(identity.cert !== undefined);
      if (identity.info) expect(view!.fingerprint).toBe(identity.info.sha256);
      expect(view!.decision).toBe(cell.verdict);
    }
    const revoked = cells.find(
      (cell) => cell.identity === 'revoked' && cell.mode === 'require_and_verify_client_cert',
    );
    expect(revoked!.serverViews[0]!.verifyError).toBe('CERT_REVOKED');
    expect(await eventually(() => resources.alive().length === 0)).toBe(true);
    resources.stop();
  });

  it('stops on abort, tears every server down, and says it was interrupted', async () => {
    const resources = trackResources();
    const controller = new AbortController();
    const run = resources.scope(() =>
      runMatrix({
        pki,
        plan: plan(),
        concurrency: 2,
        timeoutMs: TIMEOUT_MS,
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 3) controller.abort();
        },
      }),
    );
    await expect(run).rejects.toBeInstanceOf(Interrupted);
    expect(await eventually(() => resources.alive().length === 0)).toBe(true);
    resources.stop();
  });
});
