/**
 * Child processes for the real-server fixtures: each runs in its own process group, so close()
 * also reaches whatever it forked (nginx's worker), and every wait is on an event (a line of
 * output, a TCP connect, the exit) with a bound, never a fixed sleep.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST = '127.0.0.1';
/** How long a server may take to get ready: generous, the CI machine has 2 busy cores. */
export const READY_TIMEOUT_MS = 20_000;
/** How long SIGTERM gets before SIGKILL. */
const KILL_GRACE_MS = 3_000;
/** Only the tail of each stream is kept, for error messages. */
const TAIL = 8192;

/** A fresh temp dir for one fixture; its close() removes it. */
export function fixtureDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mtls-lab-fixture-'));
}

export function removeDir(dir: string | undefined): Promise<void> {
  return dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  error?: Error;
}

export interface GroupChild {
  pid: number;
  /** Resolves once the process is gone; never rejects. */
  exited: Promise<Exit>;
  hasExited(): boolean;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after the bound. */
  waitFor(
    stream: 'stdout' | 'stderr',
    pattern: RegExp,
    what: string,
    timeoutMs?: number,
  ): Promise<RegExpExecArray>;
  /** SIGTERM to the group, SIGKILL after a grace period; awaits the exit. Idempotent. */
  stop(): Promise<void>;
}

export function spawnGroup(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): GroupChild {
  // detached: the child leads a new process group (setsid), so a signal to -pid reaches it
  // and everything it forks, and nothing of the test's own group.
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  let out = '';
  let err = '';
  let exit: Exit | undefined;
  // Both pipes are drained for the whole life of the child: a full pipe would stall it.
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out = (out + chunk).slice(-TAIL)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-TAIL)));
  const exited = new Promise<Exit>((resolve) => {
    // 'close', not 'exit': by then stderr is fully read, so a failure message has all of it.
    child.once('close', (code, signal) => resolve((exit = { code, signal })));
    // A spawn failure emits 'error' and no 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) resolve((exit = { code: null, signal: null, error }));
    });
  });
  const pid = child.pid ?? 0;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!exit) {
        signalGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      // The leader is gone; a member that outlived it (none should) is killed too.
      signalGroup(pid, 'SIGKILL');
    })();
    return stopping;
  };

  const waitFor = (
    stream: 'stdout' | 'stderr',
    pattern: RegExp,
    what: string,
    timeoutMs = READY_TIMEOUT_MS,
  ) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const source = stream === 'stdout' ? child.stdout : child.stderr;
      const check = () => {
        const match = pattern.exec(stream === 'stdout' ? out : err);
        if (!match) return;
        finish();
        resolve(match);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${what}: not ready within ${timeoutMs} ms; stderr: ${tail(err)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        source?.off('data', check);
      };
      // Registered after the tail collector, so `out`/`err` already hold the chunk.
      source?.on('data', check);
      void exited.then((result) => {
        finish();
        reject(
          new Error(`${what} exited before it was ready (${describeExit(result)}): ${tail(err || out)}`),
        );
      });
      check();
    });

  return {
    pid,
    exited,
    hasExited: () => exit !== undefined,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    stop,
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is empty already.
  }
}

export function describeExit(exit: Exit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

export function tail(text: string): string {
  return text.trim().slice(-2000) || '(no output)';
}

/**
 * close() for a fixture: stops the child, removes the dir, then releases what it shared (the
 * Go build); runs once, however often called.
 */
export function closer(parts: {
  child?: GroupChild;
  dir?: string;
  release?: () => Promise<void>;
}): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      await parts.child?.stop();
      await removeDir(parts.dir);
      await parts.release?.();
    })();
    return closing;
  };
}
