/**
 * Ports for the real-server fixtures: a free one for servers that cannot listen on port 0 and
 * tell, with a retry when another process takes it first, and readiness by TCP connect.
 */
import { onFreePort as onFreeEnginePort, tcpConnects as tcpConnectsTo } from '../../../src/engines/ports.js';
import { describeExit, type GroupChild, HOST, READY_TIMEOUT_MS, tail } from './process.js';

/** Thrown by a start attempt that lost its port to another process; the attempt is retried. */
export class PortInUse extends Error {}

/** One TCP connect attempt to 127.0.0.1:port; true when it was accepted. */
export const tcpConnects = (port: number): Promise<boolean> => tcpConnectsTo(HOST, port);

/**
 * Polls a TCP connect every 25 ms until one succeeds. Fails at once when the child exits, and
 * with PortInUse when its stderr says it could not bind (nginx retries bind() for 2.5 s first).
 */
export async function waitForTcp(child: GroupChild, port: number, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (/address already in use/i.test(child.stderr())) {
      throw new PortInUse(`${what}: port ${port} is taken: ${tail(child.stderr())}`);
    }
    if (child.hasExited()) {
      const result = await child.exited;
      throw new Error(
        `${what} exited before it was ready (${describeExit(result)}): ${tail(child.stderr())}`,
      );
    }
    if (await tcpConnects(port)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: port ${port} not accepting within ${READY_TIMEOUT_MS} ms: ${tail(child.stderr())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * For servers that cannot listen on port 0 and tell: picks a free port and starts on it,
 * retrying with a new port when another process took it meanwhile (as the engines do).
 */
export function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  return onFreeEnginePort(HOST, start, (error) => error instanceof PortInUse);
}
