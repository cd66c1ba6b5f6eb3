/**
 * The built binary SIGKILLed mid-run (no teardown of ours runs): every engine process of the
 * run, and every folder holding its keys, is gone soon after, by the supervisors' lifeline.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/engines/registry.js';
import type { Engine } from '../../src/engines/registry.js';
import { engineDirsOf, leftovers, until } from '../helpers/processes.js';

/** SIGKILL runs no code of ours: only the lifeline cleans up. SIGINT is the orderly stop (exit 130). */
const CASES: [Engine, 'SIGKILL' | 'SIGINT'][] = [
  ['openssl', 'SIGKILL'],
  ['nginx', 'SIGKILL'],
  ['caddy', 'SIGINT'],
];
const ENGINES = CASES.map(([engine]) => engine);
const missing = new Map(
  await Promise.all(ENGINES.map(async (e) => [e, await unavailableReason(e)] as const)),
);

describe.each(CASES)('matrix --engine %s stopped by %s', (engine, signal) => {
  it.skipIf(missing.get(engine) !== undefined)(
    `leaves no engine process and no folder (${missing.get(engine) ?? 'installed'})`,
    { timeout: 60_000 },
    async () => {
      const cli = spawn(
        process.execPath,
        ['bin/mtls-lab.js', 'matrix', '--engine', engine, '-v', '--protocols', 'https', '--timeout', '30'],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      const exited = new Promise<void>((resolve) => cli.once('exit', () => resolve()));
      let stderr = '';
      const started = await new Promise<boolean>((resolve) => {
        cli.stderr.on('data', (chunk: Buffer) => {
          stderr += String(chunk);
          if (/\d+ servers started/.test(stderr)) resolve(true);
        });
        void exited.then(() => resolve(false));
      });
      expect(started, stderr).toBe(true);
      const dirs = await engineDirsOf(cli.pid!);
      expect(dirs.length, 'engine folders of the run').toBeGreaterThan(0);
      const before = leftovers(dirs);
      expect(before.processes.length).toBeGreaterThan(0);
      const code = new Promise<number | null>((resolve) => cli.once('exit', (c) => resolve(c)));
      cli.kill(signal);
      await exited;
      if (signal === 'SIGINT') expect(await code).toBe(130);
      const clean = await until(() => {
        const left = leftovers(dirs, before.processes);
        return left.processes.length === 0 && left.dirs.length === 0;
      });
      expect(clean ? 'nothing left' : leftovers(dirs, before.processes)).toBe('nothing left');
    },
  );
});
