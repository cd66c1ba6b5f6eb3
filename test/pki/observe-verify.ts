/**
 * Measures what a real verifying Node TLS server concludes about each client identity:
 * one server (requestCert, rejectUnauthorized: false, ca: the client CA, optionally the
 * CRLs), one real client per identity, and the server's own `authorizationError`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { crlList } from '../../src/pki/pem.js';
import type { IdentityMaterial, PkiMaterial } from '../../src/pki/types.js';

export interface ServerVerdict {
  presented: boolean;
  authorized: boolean;
  error: string | null;
}

export interface VerifyingServer extends AsyncDisposable {
  port: number;
  server: tls.Server;
  /** Connect as `identity` (trusting the server regardless) and report what the server saw. */
  observe(identity: IdentityMaterial, maxVersion?: tls.SecureVersion): Promise<ServerVerdict>;
}

/** `crl` overrides what the server is given as its `crl` option (default: the PKI's CRLs as a list). */
export async function startVerifyingServer(
  pki: PkiMaterial,
  withCrl: boolean,
  crl: string | string[] = crlList(pki),
): Promise<VerifyingServer> {
  const verdicts = new Map<string, ServerVerdict>();
  const waiters = new Map<string, (verdict: ServerVerdict) => void>();
  const server = tls.createServer(
    {
      key: pki.server.key,
      cert: pki.server.chain,
      requestCert: true,
      rejectUnauthorized: false,
      ca: pki.clientCa,
      ...(withCrl ? { crl } : {}),
    },
    (socket) => {
      const peer = socket.getPeerCertificate();
      const presented = Boolean(peer && Object.keys(peer).length > 0);
      const verdict = {
        presented,
        authorized: socket.authorized,
        error: socket.authorized ? null : String(socket.authorizationError),
      };
      // The client names itself in the first bytes it sends, so concurrent clients never mix.
      socket.once('data', (name) => {
        const key = name.toString();
        verdicts.set(key, verdict);
        waiters.get(key)?.(verdict);
        socket.end('bye');
      });
      socket.on('error', () => {});
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<tls.TLSSocket>();

  async function observe(identity: IdentityMaterial, maxVersion: tls.SecureVersion = 'TLSv1.3') {
    const tag = `${identity.name}/${maxVersion}`;
    const seen = new Promise<ServerVerdict>((resolve) => waiters.set(tag, resolve));
    const client = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.serverCa,
      rejectUnauthorized: false,
      maxVersion,
      ...(identity.key && identity.chain ? { key: identity.key, cert: identity.chain } : {}),
    });
    sockets.add(client);
    client.on('error', () => {});
    try {
      await once(client, 'secureConnect');
      client.write(tag);
      const timeout = AbortSignal.timeout(5_000);
      return await Promise.race([
        seen,
        once(timeout, 'abort').then(() => Promise.reject(new Error(`no verdict for ${tag} within 5 s`))),
      ]);
    } finally {
      client.destroy();
      sockets.delete(client);
    }
  }

  return {
    port,
    server,
    observe,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
