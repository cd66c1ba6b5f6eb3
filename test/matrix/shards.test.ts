/** How a run is spread over threads: pure planning, no workers started. */
import { describe, expect, it } from 'vitest';
import { CELLS_PER_SHARD, shardCount, splitPlan } from '../../src/matrix/shards.js';
import { planMatrix } from '../../src/matrix/plan.js';
import { serversToStart } from '../../src/matrix/run.js';
import { MODES } from '../../src/modes.js';
import { TRAITS } from '../helpers/traits.js';

describe('shards', () => {
  it('keeps a small run in one thread, whatever the cores', () => {
    expect(shardCount(0, 4)).toBe(1);
    expect(shardCount(CELLS_PER_SHARD * 2 - 1, 4)).toBe(1);
    expect(shardCount(CELLS_PER_SHARD * 2, 4)).toBe(2);
    expect(shardCount(520, 2)).toBe(2);
    expect(shardCount(520, 4)).toBe(4);
    expect(shardCount(10_000, 1)).toBe(1);
  });

  it('gives every server to one shard with all its cells, balancing the cells', () => {
    const plan = planMatrix({
      modes: MODES,
      identities: ['valid', 'none', 'expired'].map((name) => ({
        name,
        description: name,
        serverTrust: '',
        traits: TRAITS[name]!,
      })),
      protocols: ['tls', 'https'],
      tls: ['1.2', '1.3'],
    });
    const shards = splitPlan(plan, 2);
    expect(shards).toHaveLength(2);
    expect(shards.flatMap((shard) => shard.cells).length).toBe(plan.cells.length);
    for (const shard of shards) {
      const servers = new Set(shard.servers.map((server) => server.name));
      expect(shard.cells.every((cell) => servers.has(cell.server))).toBe(true);
    }
    const [a, b] = shards.map((shard) => shard.cells.length);
    expect(Math.abs(a! - b!)).toBeLessThanOrEqual(plan.cells.length / plan.servers.length);
  });

  it('starts only the servers that have a cell to run', () => {
    const plan = planMatrix({
      modes: ['no_client_certs', 'require_and_verify_client_cert'],
      identities: [{ name: 'valid', description: 'valid', serverTrust: '', traits: TRAITS.valid! }],
      protocols: ['tls'],
      tls: ['1.3'],
    });
    const [first, second] = plan.cells;
    const trimmed = {
      servers: plan.servers,
      cells: [first!, { ...second!, skipped: 'not installed' }],
    };
    expect(plan.servers).toHaveLength(2);
    expect(serversToStart(trimmed).map((server) => server.name)).toEqual([first!.server]);
  });
});
