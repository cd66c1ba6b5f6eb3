/**
 * Loopback ports for engines that cannot listen on port 0 and say which port they got: a
 * free port is found by binding port 0 and closing it, and a start that loses the port to
 * another process in between (PortInUse) is retried on a new one, a bounded number of times.
 */
import { connect, createServer } from 'node:net';

const PORT_ATTEMPTS = 5;

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

/** One TCP connect attempt; true when it was accepted. */
export function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts on a free port, retrying on another when `isPortRace(error)` says the port was taken. */
export async function onFreePort<T>(
  host: string,
  start: (port: number) => Promise<T>,
  isPortRace: (error: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort(host);
    try {
      return await start(port);
    } catch (error) {
      if (!isPortRace(error) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}
