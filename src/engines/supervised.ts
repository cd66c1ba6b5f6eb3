/**
 * One external engine process, supervised. Every engine child runs under a tiny supervisor
 * (/bin/sh) whose stdin is a pipe from us: the lifeline. When that pipe reaches EOF, because
 * we stopped the engine or because we died (even by SIGKILL, which runs no code of ours), the
 * supervisor stops the engine's process group (SIGTERM, SIGKILL after a grace period), waits
 * for it, and removes the engine's folder. So no engine outlives the tool, and no folder with
 * keys in it is left behind.
 *
 * The engine leads its own session and process group (setsid), so a stop reaches whatever it
 * forks (nginx's and Apache's workers), and a Ctrl-C at the terminal reaches only us: the
 * engine stops when we stop it, in order.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Interrupted } from '../errors.js';
import { removeDir } from './engine-dir.js';
import { tcpConnects } from './ports.js';

/** Bounds: readiness, and how long the engine gets after SIGTERM (the supervisor's `sleep 3`). */
export const READY_TIMEOUT_MS = 20_000;
const KILL_GRACE_MS = 3_000;
/** Beyond the grace, how long the supervisor gets to finish before we kill everything ourselves. */
const STOP_MARGIN_MS = 2_000;
const TAIL = 8192;
const TCP_POLL_MS = 25;

/**
 * $1 is the folder to remove, the rest the engine's command line. dash's `kill` takes no `--`,
 * so a group is `-PID`; the engine's own PID is signalled too, for a stop that comes before
 * its setsid() has run. The grace timer runs in a group of its own, so killing it leaves no
 * `sleep` behind.
 */
const SUPERVISOR = `dir=$1; shift
setsid "$@" </dev/null 3>&- &
pid=$!
echo "$pid" >&3
exec 3>&- >/dev/null 2>&1
while read -r _; do :; done
kill -TERM "$pid" "-$pid"
setsid sh -c 'sleep ${KILL_GRACE_MS / 1000}; kill -KILL "-$1"' sh "$pid" &
killer=$!
wait "$pid"
kill -KILL "$killer" "-$killer"
kill -KILL "-$pid"
rm -rf "$dir"
`;

/** Thrown by a start that lost its port to another process; onFreePort() retries it. */
export class PortInUse extends Error {}

export interface SuperviseOptions {
  /** For messages: "nginx", "caddy". */
  what: string;
  command: string;
  args: readonly string[];
  /** The engine's folder: its working directory, removed by the supervisor. */
  dir: string;
  env?: NodeJS.ProcessEnv;
  /** Ready once a line of its output matches (stdout or stderr) ... */
  readyLine?: RegExp;
  /** ... and/or once this port accepts a TCP connection. */
  readyPort?: { host: string; port: number };
  /** Output that means the port was taken meanwhile: the start is retried on another port. */
  portInUse?: RegExp;
  signal?: AbortSignal;
}

export interface Supervised {
  /** The engine's PID, which is also its process group. */
  pid: number;
  supervisorPid: number;
  /** The tail of what it wrote (stdout and stderr), for error messages. */
  output(): string;
  /** Ends the lifeline and waits until the engine and its supervisor are gone, within a bound. */
  stop(): Promise<void>;
}

export async function startSupervised(options: SuperviseOptions): Promise<Supervised> {
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', SUPERVISOR, 'mtls-lab-supervisor', options.dir, options.command, ...options.args],
    {
      cwd: options.dir,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let streamsOpen = 2;
  const collect = (stream: Readable | null) => {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => (output = (output + chunk).slice(-TAIL)));
    stream?.on('close', () => streamsOpen--);
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  // A broken lifeline (the supervisor died) is handled by its exit; the write error is not news.
  child.stdin?.on('error', () => {});
  let pid: number;
  try {
    pid = await enginePid(child, exited);
  } catch (error) {
    await removeDir(options.dir);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopEngine(child, pid, exited, options.dir);
    return stopping;
  };
  const handle: Supervised = { pid, supervisorPid: child.pid ?? 0, output: () => output, stop };
  const abort = () => void stop();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) throw new Interrupted(`interrupted while starting ${options.what}`);
    await waitReady(options, handle, () => streamsOpen === 0);
    return handle;
  } catch (error) {
    await stop();
    if (options.signal?.aborted) throw new Interrupted(`interrupted while starting ${options.what}`);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/** The supervisor's first word on fd 3 is the engine's PID. */
function enginePid(child: ChildProcess, exited: Promise<void>): Promise<number> {
  const channel = child.stdio[3] as Readable | null;
  return new Promise<number>((resolve, reject) => {
    let text = '';
    channel?.setEncoding('utf8');
    channel?.on('data', (chunk: string) => {
      text += chunk;
      const match = /^(\d+)\n/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error('the engine supervisor (/bin/sh) exited before starting it')));
  });
}

async function stopEngine(child: ChildProcess, pid: number, exited: Promise<void>, dir: string) {
  child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), KILL_GRACE_MS + STOP_MARGIN_MS);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    // The supervisor is stuck or gone: do its work ourselves.
    for (const target of [-pid, pid, child.pid ?? 0])
      if (target !== 0)
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // ESRCH: already gone.
        }
    await exited;
  }
  clearTimeout(timer);
  await removeDir(dir);
}

function waitReady(options: SuperviseOptions, handle: Supervised, gone: () => boolean): Promise<void> {
  const { what } = options;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      if (error) reject(error);
      else resolve();
    };
    let lineSeen = options.readyLine === undefined;
    let probing = false;
    const check = async () => {
      const output = handle.output();
      if (options.portInUse?.test(output))
        return finish(new PortInUse(`${what}: its port was taken meanwhile: ${tail(output)}`));
      if (!lineSeen && options.readyLine?.test(output)) lineSeen = true;
      if (lineSeen && !options.readyPort) return finish();
      if (gone()) return finish(new Error(`${what} exited before it was ready: ${tail(output)}`));
      if (options.signal?.aborted) return finish(new Interrupted(`interrupted while starting ${what}`));
      if (Date.now() > deadline)
        return finish(new Error(`${what} was not ready within ${READY_TIMEOUT_MS} ms: ${tail(output)}`));
      if (lineSeen && options.readyPort && !probing) {
        probing = true;
        const open = await tcpConnects(options.readyPort.host, options.readyPort.port);
        probing = false;
        if (open) finish();
      }
    };
    const poll = setInterval(() => void check(), TCP_POLL_MS);
    void check();
  });
}

export function tail(text: string): string {
  return text.trim().slice(-2000) || '(no output)';
}
