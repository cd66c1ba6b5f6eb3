/**
 * Running an external engine's matrix in a test and checking what it leaves behind: in
 * process through matrixCommand (every server the driver starts is recorded, with its PIDs and
 * folders), or through the built binary (its folders are found by their marker while it
 * runs, and its processes by the folders their command lines name).
 */
import { spawn } from 'node:child_process';
import { vi } from 'vitest';
import type { EngineDriver, EngineServer } from '../../src/engines/types.js';
import type { CellResult } from '../../src/matrix/types.js';
import { engineDirsOf, leftovers, processesMentioning } from './processes.js';

/** Records every server the driver starts from now on, until restore(). */
export function recordStarts(driver: EngineDriver) {
  const servers: EngineServer[] = [];
  const original = driver.start.bind(driver);
  const spy = vi.spyOn(driver, 'start').mockImplementation(async (options) => {
    const server = await original(options);
    servers.push(server);
    return server;
  });
  return {
    pids: () => servers.flatMap((server) => server.pids?.() ?? []),
    dirs: () => servers.flatMap((server) => server.dirs?.() ?? []),
    count: () => servers.length,
    restore: () => spy.mockRestore(),
  };
}

/** A cell that was run and did not meet its expectation, in one line for a failure message. */
export function unmet(cells: readonly CellResult[]): string[] {
  return cells
    .filter((cell) => cell.skipped === undefined && cell.notServed === undefined && cell.pass !== true)
    .map(
      (cell) =>
        `${cell.server} ${cell.identity} ${cell.protocol}: ${cell.how} (expected ${cell.expected.verdict}: ${cell.expected.reason})`,
    );
}

export interface WatchedRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Engine folders the run made, seen while it ran. */
  dirs: string[];
  /** Processes whose command line named one of them, seen while it ran. */
  pids: number[];
}

/**
 * Runs the built binary, watching its engine folders (by their marker) every few ms until it
 * exits: an engine server lives at least as long as its cells, so each is seen.
 */
export async function runBinaryWatched(args: string[], limitMs = 120_000): Promise<WatchedRun> {
  const cli = spawn(process.execPath, ['bin/mtls-lab.js', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  cli.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const dirs = new Set<string>();
  const pids = new Set<number>();
  let watching = false;
  const watch = setInterval(() => {
    if (watching) return;
    watching = true;
    void engineDirsOf(cli.pid!).then((found) => {
      for (const dir of found) {
        dirs.add(dir);
        for (const pid of processesMentioning(dir)) pids.add(pid);
      }
      watching = false;
    });
  }, 20);
  const limit = setTimeout(() => cli.kill('SIGTERM'), limitMs);
  const exitCode = await new Promise<number | null>((resolve) => cli.once('close', (code) => resolve(code)));
  clearInterval(watch);
  clearTimeout(limit);
  return { exitCode, stdout, stderr, dirs: [...dirs], pids: [...pids] };
}

export { leftovers };
