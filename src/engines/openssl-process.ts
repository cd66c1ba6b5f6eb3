/**
 * One `openssl s_server` child process on a loopback port: started, awaited until it prints
 * ACCEPT, and stopped (SIGTERM, then SIGKILL after a bounded wait). s_server cannot listen
 * on port 0 and report the port, so a free port is found by binding port 0 with `net` and
 * closing it; the small race with other processes is covered by a bounded retry.
 */
import { createServer } from 'node:net';
import { execa } from 'execa';
import { Interrupted } from '../errors.js';

export const OPENSSL_BINARY = process.env.MTLS_LAB_OPENSSL ?? 'openssl';

/** Bounds: how long s_server may take to print ACCEPT, and to die after SIGTERM. */
const READY_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;
const PORT_ATTEMPTS = 5;
/** Only the tail of stderr is kept, for the error message of a failed start. */
const STDERR_TAIL = 4096;

export interface OpensslProcess {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function freeLoopbackPort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('could not find a free loopback port');
  return address.port;
}

class PortInUse extends Error {}

/** Starts `openssl s_server -accept HOST:PORT ...args` on a free port, retrying a lost race. */
export async function startSServer(
  host: string,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<OpensslProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort(host);
    try {
      return await startOnPort(host, port, args, signal);
    } catch (error) {
      if (!(error instanceof PortInUse) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnPort(
  host: string,
  port: number,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<OpensslProcess> {
  const accept = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const child = spawnSServer(['-accept', accept, ...args], signal);
  let stderr = '';
  // Both pipes are drained for the whole life of the child: a full pipe would stall s_server.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  const stop = stopper(child);
  try {
    await waitForAccept(child, () => stderr);
  } catch (error) {
    await stop();
    // Ctrl-C while starting: the child was cancelled, which is no failure of s_server.
    if (signal?.aborted) throw new Interrupted('interrupted while starting openssl s_server');
    throw error;
  }
  return { port, pid: child.pid ?? 0, stop };
}

function spawnSServer(args: readonly string[], signal: AbortSignal | undefined) {
  return execa(OPENSSL_BINARY, ['s_server', ...args], {
    stdin: 'ignore',
    buffer: false,
    reject: false,
    forceKillAfterDelay: KILL_GRACE_MS,
    cancelSignal: signal,
  });
}
type Child = ReturnType<typeof spawnSServer>;

function waitForAccept(child: Child, stderr: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stdout = '';
    let ready = false;
    const timer = setTimeout(() => {
      reject(new Error(`openssl s_server printed no ACCEPT within ${READY_TIMEOUT_MS} ms: ${stderr()}`));
    }, READY_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (ready) return;
      stdout = (stdout + chunk).slice(-STDERR_TAIL);
      if (/^ACCEPT$/m.test(stdout)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
    void child.then((result) => {
      if (ready) return;
      clearTimeout(timer);
      const output = stderr().trim() || stdout.trim() || '(no output)';
      const message = `openssl s_server exited before accepting connections (${result.exitCode ?? result.signal}): ${output}`;
      reject(/address already in use/i.test(output) ? new PortInUse(message) : new Error(message));
    });
  });
}

/** SIGTERM, SIGKILL after KILL_GRACE_MS (execa's forceKillAfterDelay), and wait for the exit. */
function stopper(child: Child): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await child;
    })();
    return stopping;
  };
}
