/**
 * The built binary, run so that a test can act on what it prints and check what it leaves:
 * a private TMPDIR, a tag in the environment of every process of the run, and `--debug`
 * stage lines on stderr to wait for (see src/stages.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { findLeftovers, type Leftovers, RUN_TAG, taggedProcesses } from '../../src/bench/leftovers.js';

export interface WatchedRun {
  /** The value of RUN_TAG in the environment of every process of this run. */
  tag: string;
  child: ResultPromise<{ reject: false; timeout: number }>;
  stderr(): string;
  /** Resolves once stderr matches `pattern`; rejects if the run ends first. */
  waitForStderr(pattern: RegExp): Promise<void>;
  leftovers(): Promise<Leftovers>;
  /** Kills whatever of the run is still alive and removes its TMPDIR. */
  dispose(): Promise<void>;
}

let runs = 0;

export async function watchedRun(args: string[]): Promise<WatchedRun> {
  const tempDir = await mkdtemp(join(tmpdir(), 'mtls-lab-watched-'));
  const tag = `${process.pid}-${++runs}`;
  const child = execa('node', ['bin/mtls-lab.js', ...args, '--debug'], {
    reject: false,
    // A bound for a run that ignores the interrupt, not a measure of how fast it stops.
    timeout: 120_000,
    env: { NO_COLOR: '1', TMPDIR: tempDir, [RUN_TAG]: tag },
  });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    for (const waiter of waiters.filter((w) => w.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const ended = child.then(() => {
    throw new Error(`the run ended before the awaited line; stderr:\n${stderr}`);
  });
  ended.catch(() => undefined);
  return {
    tag,
    child,
    stderr: () => stderr,
    waitForStderr: (pattern) =>
      pattern.test(stderr)
        ? Promise.resolve()
        : Promise.race([new Promise<void>((resolve) => waiters.push({ pattern, resolve })), ended]),
    leftovers: () => findLeftovers(tag, tempDir),
    async dispose() {
      child.kill('SIGKILL');
      await child;
      for (const { pid } of await taggedProcesses(tag)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone in the meantime.
        }
      }
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
