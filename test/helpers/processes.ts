/**
 * Which processes are still there: by PID, and by what their command line names (an engine's
 * folder appears in its supervisor's and its own arguments). Linux /proc; bounded polling.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_DIR_PREFIX, ownerOf } from '../../src/engines/engine-dir.js';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie is gone for every purpose but its parent's bookkeeping.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** PIDs of live processes whose command line contains `text`. */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text) && alive(Number(name))) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Engine folders in the temp dir made by this PID. */
export async function engineDirsOf(pid: number): Promise<string[]> {
  const dirs = readdirSync(tmpdir())
    .filter((name) => name.startsWith(ENGINE_DIR_PREFIX))
    .map((name) => join(tmpdir(), name));
  const owners = await Promise.all(dirs.map(async (dir) => [dir, await ownerOf(dir)] as const));
  return owners.filter(([, owner]) => owner === pid).map(([dir]) => dir);
}

/** Polls until `done()` holds: at most `tries` times, `everyMs` apart. */
export async function until(done: () => boolean, tries = 400, everyMs = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return done();
}

/** What is left of a run: live processes naming its folders, and the folders themselves. */
export function leftovers(dirs: readonly string[], pids: readonly number[] = []) {
  return {
    processes: [...new Set([...pids.filter(alive), ...dirs.flatMap(processesMentioning)])],
    dirs: dirs.filter((dir) => existsSync(dir)),
  };
}
