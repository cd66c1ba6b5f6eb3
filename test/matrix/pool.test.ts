import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runPool } from '../../src/matrix/pool.js';

describe('runPool', () => {
  it('keeps results in input order and never exceeds the concurrency', async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([5, 1, 4, 2, 3, 0], { concurrency: 2 }, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(n);
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('stops taking work once aborted and rejects on the first failure', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await runPool([0, 1, 2, 3], { concurrency: 1, signal: controller.signal }, async (n) => {
      started.push(n);
      if (n === 1) controller.abort();
    });
    expect(started).toEqual([0, 1]);
    await expect(
      runPool([0, 1], { concurrency: 2 }, async (n) => {
        if (n === 1) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
