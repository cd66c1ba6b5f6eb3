/**
 * The set-up the server tests share: the worker's PKI, servers started on it (closed after the
 * file), and waiting for a socket's close.
 */
import type * as net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { PkiMaterial } from '../../src/pki/types.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

/** Call at a file's top level: registers its beforeAll/afterAll. */
export function serverFixture() {
  let pki: PkiMaterial | undefined;
  const opened: RunningServer[] = [];
  beforeAll(async () => {
    pki = await pkiPerWorker();
  });
  afterAll(async () => {
    await Promise.all(opened.map((server) => server.close()));
  });
  const material = (): PkiMaterial => {
    if (!pki) throw new Error('the PKI is made in beforeAll');
    return pki;
  };
  return {
    pki: material,
    /** A server (require_and_verify_client_cert unless told otherwise), closed after the file. */
    async start(options: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer> {
      const server = await startServer({
        mode: 'require_and_verify_client_cert',
        pki: material(),
        ...options,
      });
      opened.push(server);
      return server;
    },
  };
}

/** Resolves once the socket has closed. */
export function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}
