/**
 * Ctrl-C and SIGTERM through the built binary, at each stage of a run. Each test waits for the
 * stage line the run prints with --debug, then signals it, and checks the outcome: the exit
 * code, the message, and that nothing of the run is left (no process, no listening port, no
 * temporary folder). A run that ignored the interrupt would go on to the next stage and end
 * with 0, so each test fails then; none measures time.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Leftovers, nothingLeft, taggedProcesses } from '../../src/bench/leftovers.js';
import { SAME_REQUEST_MS } from '../../src/interrupt.js';
import { generatePki } from '../../src/pki/generate.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { startServer } from '../../src/servers/server.js';
import { type WatchedRun, watchedRun } from '../helpers/watched-run.js';

const opensslInstalled = (() => {
  try {
    execSync('openssl version', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let run: WatchedRun | undefined;
afterEach(async () => {
  await run?.dispose();
  run = undefined;
});

// One PKI for the file: the runs interrupted after key generation read it from disk (--pki)
// instead of each generating their own first; the probe's server uses it too.
let pki: PkiMaterial;
let pkiParent = '';
let pkiDir = '';
beforeAll(async () => {
  pki = await generatePki();
  pkiParent = await mkdtemp(join(tmpdir(), 'mtls-lab-interrupt-'));
  pkiDir = (await writePki(pki, join(pkiParent, 'pki'))).dir;
});
afterAll(async () => {
  if (pkiParent) await rm(pkiParent, { recursive: true, force: true });
});

/** Nothing of the run is left; checked a bounded number of times while stragglers are reaped. */
async function expectNothingLeft(watched: WatchedRun): Promise<void> {
  let found: Leftovers = await watched.leftovers();
  for (let i = 0; i < 50 && !nothingLeft(found); i++) {
    await delay(100);
    found = await watched.leftovers();
  }
  expect(found).toEqual({ processes: [], ports: [], tempEntries: [] });
}

// --concurrency 1 keeps the cells stage long, so the interrupt meets the stage it aims at.
const MATRIX = ['matrix', '--concurrency', '1', '--format', 'json'];
const matrixOnPki = () => [...MATRIX, '--pki', pkiDir];

describe('an interrupt at each stage stops the run in order', () => {
  it('during RSA 4096 key generation: no PKI is made or written', async () => {
    const out = join(tmpdir(), `mtls-lab-never-written-${process.pid}`);
    run = await watchedRun(['gen', '--key-type', 'rsa-4096', '--out', out]);
    await run.waitForStderr(/stage: generating the PKI \(rsa-4096 keys\)/);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted while generating the PKI; everything was shut down/);
    // Abandoned, not finished: the keys were never all made.
    expect(run.stderr()).not.toMatch(/stage: PKI generated/);
    expect(existsSync(out)).toBe(false);
    await expectNothingLeft(run);
  });

  it('during matrix key generation with --key-type rsa-4096, on SIGTERM: exit 143', async () => {
    run = await watchedRun([...MATRIX, '--key-type', 'rsa-4096']);
    await run.waitForStderr(/stage: generating the PKI/);
    run.child.kill('SIGTERM');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(143);
    expect(run.stderr()).not.toMatch(/stage: PKI generated/);
    expect(result.stdout).toBe('');
    await expectNothingLeft(run);
  });

  it('while the servers start', async () => {
    run = await watchedRun(matrixOnPki());
    await run.waitForStderr(/stage: starting \d+ servers/);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted; everything was shut down/);
    expect(result.stdout).toBe('');
    await expectNothingLeft(run);
  });

  it('while cells run', async () => {
    run = await watchedRun(matrixOnPki());
    await run.waitForStderr(/stage: servers started; cells running/);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/matrix run interrupted; everything was shut down/);
    await expectNothingLeft(run);
  });

  it.runIf(opensslInstalled)('while openssl s_server engines start', async () => {
    run = await watchedRun([...matrixOnPki(), '--engine', 'openssl', '--protocols', 'tls,https']);
    await run.waitForStderr(/stage: starting \d+ servers/);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted[^\n]*; everything was shut down/);
    await expectNothingLeft(run);
  });

  it('serve while it generates its PKI: its normal end, exit 0, nothing left', async () => {
    run = await watchedRun(['serve', '--mode', 'on']);
    await run.waitForStderr(/stage: generating the PKI/);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(0);
    await expectNothingLeft(run);
  });

  describe('probe', () => {
    it('while it probes a server', async () => {
      await using server = await startServer({ mode: 'on', pki });
      run = await watchedRun(['probe', `127.0.0.1:${server.port}`, '--timeout', '30']);
      await run.waitForStderr(/stage: probing /);
      run.child.kill('SIGINT');
      const result = await run.child;
      expect(result.exitCode, run.stderr()).toBe(130);
      expect(run.stderr()).toMatch(/interrupted; everything was shut down/);
      await expectNothingLeft(run);
    });
  });
});

describe.runIf(opensslInstalled)('two signals', () => {
  // One mode's s_servers (one per TLS version) and its 52 cells: a cells stage of seconds.
  const args = () => [...matrixOnPki(), '--engine', 'openssl', '--modes', 'on', '--protocols', 'tls,https'];

  /** Freezes the run's s_servers: teardown then waits for them, whatever the machine's speed. */
  async function freezeServers(watched: WatchedRun): Promise<number[]> {
    const servers = (await taggedProcesses(watched.tag)).filter((p) => /\bs_server\b/.test(p.command));
    expect(servers.length).toBeGreaterThan(0);
    for (const { pid } of servers) process.kill(pid, 'SIGSTOP');
    return servers.map(({ pid }) => pid);
  }

  function resume(pid: number): void {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone already: the supervisor's grace ended in SIGKILL.
    }
  }

  it('a second SIGTERM (GNU timeout signals the process, then its group) is the same orderly stop', async () => {
    run = await watchedRun(args());
    await run.waitForStderr(/stage: servers started; cells running/);
    // Frozen, so the orderly stop is still under way when the second SIGTERM arrives.
    const frozen = await freezeServers(run);
    run.child.kill('SIGTERM');
    // Sent once the first was handled: two signals sent back to back would merge into one.
    await run.waitForStderr(/SIGTERM: stopping and cleaning up/);
    run.child.kill('SIGTERM');
    for (const pid of frozen) resume(pid);
    const result = await run.child;
    expect(result.exitCode, run.stderr()).toBe(143);
    expect(run.stderr()).toMatch(/everything was shut down/);
    await expectNothingLeft(run);
  });

  it('a second Ctrl-C after the notice exits at once, even while teardown is stuck', async () => {
    run = await watchedRun(args());
    await run.waitForStderr(/stage: servers started; cells running/);
    // Frozen servers cannot act on the SIGTERM of an orderly stop: teardown waits for them.
    await freezeServers(run);
    run.child.kill('SIGINT');
    await run.waitForStderr(/Ctrl-C again exits at once/);
    // The user presses Ctrl-C again: a deliberate second press, not the same keypress's echo.
    await delay(SAME_REQUEST_MS + 100);
    run.child.kill('SIGINT');
    const result = await run.child;
    expect(result.signal, run.stderr()).toBe('SIGINT');
    expect(run.stderr()).not.toMatch(/everything was shut down/);
  });
});
