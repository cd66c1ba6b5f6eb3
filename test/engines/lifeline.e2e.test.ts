/**
 * The built binary SIGKILLed mid-run (no teardown of ours runs): every engine process of the
 * run, and every folder holding its keys, is gone soon after, by the supervisors' lifeline.
 * SIGINT is the orderly stop (exit 130), and leaves nothing either.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/engines/registry.js';
import type { Engine } from '../../src/engines/registry.js';
import { writePki } from '../../src/pki/write.js';
import { engineDirsOf, leftovers, until } from '../helpers/processes.js';
import { enginePki } from './engine-fixture.js';

/** SIGKILL runs no code of ours: only the lifeline cleans up. SIGINT is the orderly stop (exit 130). */
const CASES: [Engine, 'SIGKILL' | 'SIGINT'][] = [
  ['openssl', 'SIGKILL'],
  ['nginx', 'SIGKILL'],
  ['caddy', 'SIGINT'],
];
const missing = new Map(
  await Promise.all(CASES.map(async ([engine]) => [engine, await unavailableReason(engine)] as const)),
);

// A PKI from `gen` for every run: the point is the stop, not making keys.
let pkiDir: string;
beforeAll(async () => {
  pkiDir = await mkdtemp(join(tmpdir(), 'mtls-lab-lifeline-'));
  await writePki(await enginePki(), pkiDir);
});
afterAll(async () => rm(pkiDir, { recursive: true, force: true }));

describe.each(CASES)('matrix --engine %s stopped by %s', (engine, signal) => {
  it.skipIf(missing.get(engine) !== undefined)(
    `leaves no engine process and no folder (${missing.get(engine) ?? 'installed'})`,
    { timeout: 60_000 },
    async () => {
      // One server (so one thread), its cells one at a time: the run is still going when it is up.
      const args = ['--modes', 'on', '--tls', '1.3', '--protocols', 'https', '--concurrency', '1'];
      const cli = spawn(
        process.execPath,
        ['bin/mtls-lab.js', 'matrix', '--engine', engine, '--pki', pkiDir, '-v', ...args, '--timeout', '30'],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
      try {
        let stderr = '';
        const started = await new Promise<boolean>((resolve) => {
          const watch = (chunk: Buffer) => {
            stderr += String(chunk);
            if (!/\d+ servers started/.test(stderr)) return;
            // Frozen where it stands, so that its engines are there to look at, however busy
            // the machine; whatever signal comes next is delivered on SIGCONT.
            cli.stderr.off('data', watch);
            resolve(cli.kill('SIGSTOP'));
          };
          cli.stderr.on('data', watch);
          void exited.then(() => resolve(false));
        });
        expect(started, stderr).toBe(true);
        const dirs = await engineDirsOf(cli.pid!);
        expect(dirs.length, 'engine folders of the run').toBeGreaterThan(0);
        const before = leftovers(dirs);
        expect(before.processes.length).toBeGreaterThan(0);
        cli.kill(signal);
        if (signal !== 'SIGKILL') cli.kill('SIGCONT');
        const code = await exited;
        if (signal === 'SIGINT') expect(code).toBe(130);
        const clean = await until(() => {
          const left = leftovers(dirs, before.processes);
          return left.processes.length === 0 && left.dirs.length === 0;
        });
        expect(clean ? 'nothing left' : leftovers(dirs, before.processes)).toBe('nothing left');
      } finally {
        if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
        await exited;
      }
    },
  );
});
