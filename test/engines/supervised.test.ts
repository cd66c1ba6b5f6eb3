/** The supervisor: readiness, bounded stop, Ctrl-C while starting, and the lifeline. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_DIR_PREFIX, engineDir, sweepStale } from '../../src/engines/engine-dir.js';
import { startSupervised } from '../../src/engines/supervised.js';
import { Interrupted } from '../../src/errors.js';
import { alive, leftovers, processesMentioning, until } from '../helpers/processes.js';

const sh = (script: string) => ({ command: 'sh', args: ['-c', script] });

describe('supervised engine processes', () => {
  it('is ready on its line, keeps its output, and stops its whole group and folder', async () => {
    const dir = await engineDir('test');
    // The engine forks a second process, as nginx forks its worker.
    const child = await startSupervised({
      what: 'test engine',
      ...sh(`sleep 300.${process.pid} & echo ready; wait`),
      dir,
      readyLine: /^ready$/m,
    });
    expect(alive(child.pid)).toBe(true);
    const forked = processesMentioning(`sleep 300.${process.pid}`);
    expect(forked.length).toBeGreaterThan(0);
    expect(child.output()).toContain('ready');
    await child.stop();
    // The group was sent SIGKILL before stop() returned; on a busy machine the kernel may take
    // a moment to finish it off, so wait (bounded) for it to be gone.
    const left = () => leftovers([dir], [child.pid, child.supervisorPid, ...forked]);
    await until(() => left().processes.length === 0);
    expect(left()).toEqual({ processes: [], dirs: [] });
  });

  it('fails with its own words when it exits before it is ready', async () => {
    const dir = await engineDir('test');
    await expect(
      startSupervised({
        what: 'test engine',
        ...sh('echo "bad config line 3" >&2; exit 1'),
        dir,
        readyLine: /ready/,
      }),
    ).rejects.toThrow(/test engine exited before it was ready: bad config line 3/);
    expect(existsSync(dir)).toBe(false);
  });

  it('stops within the bound on Ctrl-C while starting, and says it was interrupted', async () => {
    const dir = await engineDir('test');
    const controller = new AbortController();
    const marker = `sleep 301.${process.pid}`;
    const starting = startSupervised({
      what: 'test engine',
      ...sh(`echo up; exec ${marker}`),
      dir,
      readyLine: /never/,
      signal: controller.signal,
    });
    expect(await until(() => processesMentioning(marker).length > 0)).toBe(true);
    controller.abort();
    await expect(starting).rejects.toBeInstanceOf(Interrupted);
    expect(leftovers([dir])).toEqual({ processes: [], dirs: [] });
  });

  it('stops the engine and removes its folder when the lifeline breaks (its owner is SIGKILLed)', async () => {
    const dir = await engineDir('test');
    // A separate node process (the built module, as it ships) owns the supervisor, then dies
    // without running any code of its own.
    const script = `const m = await import('./dist/engines/supervised.js');
const c = await m.startSupervised({ what: 't', command: 'sleep', args: ['303'], dir: ${JSON.stringify(dir)}, readyPort: undefined });
console.log('started', c.pid, c.supervisorPid);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<string>((resolve, reject) => {
      let out = '';
      owner.stdout.on('data', (chunk: Buffer) => {
        out += String(chunk);
        if (/started \d+ \d+/.test(out)) resolve(out);
      });
      owner.once('exit', () => reject(new Error('the owner exited before it started the engine')));
    });
    const [engine, supervisor] = started.trim().split(' ').slice(1).map(Number);
    expect(alive(engine!) && alive(supervisor!)).toBe(true);
    owner.kill('SIGKILL');
    expect(await until(() => !alive(engine!) && !alive(supervisor!) && !existsSync(dir))).toBe(true);
  });
});

describe('stale engine folders', () => {
  it('removes ours whose maker is dead, and nothing else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mtls-lab-sweep-'));
    try {
      const dead = spawn('true');
      const deadPid = await new Promise<number>((resolve) => dead.once('exit', () => resolve(dead.pid!)));
      const make = async (name: string, marker?: string) => {
        await mkdir(join(root, name));
        await writeFile(join(root, name, 'server.key'), 'secret');
        if (marker !== undefined) await writeFile(join(root, name, '.mtls-lab-engine'), marker);
      };
      const ours = (pid: number) => `mtls-lab engine folder, made by process ${pid}\n`;
      await make(`${ENGINE_DIR_PREFIX}nginx-dead`, ours(deadPid));
      await make(`${ENGINE_DIR_PREFIX}nginx-live`, ours(process.ppid));
      await make(`${ENGINE_DIR_PREFIX}nginx-unmarked`);
      await make(`${ENGINE_DIR_PREFIX}nginx-foreign`, 'something else 1\n');
      await make('other-dead', ours(deadPid));
      expect(await sweepStale(root)).toEqual([join(root, `${ENGINE_DIR_PREFIX}nginx-dead`)]);
      expect(existsSync(join(root, `${ENGINE_DIR_PREFIX}nginx-live`))).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
