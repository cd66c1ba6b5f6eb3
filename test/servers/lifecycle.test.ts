/**
 * A server's life: one view per connection (also for connections that never finish a
 * handshake), the gRPC services through grpc-js, aliases, ::1, and a close() that leaves
 * no listener, socket or timer behind. Its limits on slow and idle clients: idle-limits.test.ts.
 */
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { IdentityMaterial } from '../../src/pki/types.js';
import { encodeStringField } from '../../src/servers/grpc-wire.js';
import { closed, serverFixture } from './server-fixture.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import type { ServerView } from '../../src/servers/types.js';
import { eventually, trackResources } from '../helpers/resource-tracker.js';
import { grpcCall, h2, https1, rawTls, WHO_AM_I_PATH } from './test-clients.js';
import { expectValid, parseValid } from '../helpers/json-schema.js';

const fixture = serverFixture();
const { start } = fixture;
const identity = (name: string): IdentityMaterial =>
  fixture.pki().identities.find((candidate) => candidate.name === name)!;

describe('close()', () => {
  it('destroys open connections, frees the port and leaves no socket or timer', async () => {
    const resources = trackResources();
    const seen: ServerView[] = [];
    const server = await resources.scope(() => start({ onView: (view) => seen.push(view) }));
    const idle = net.connect(server.port, '127.0.0.1');
    idle.on('error', () => {});
    await new Promise((resolve) => idle.once('connect', resolve));
    const idlePort = idle.localPort;
    const answers = await Promise.all([
      https1({ port: server.port, tls: '1.3', identity: identity('valid') }),
      h2({ port: server.port, tls: '1.2', identity: identity('chain') }),
    ]);
    expect(answers.map((answer) => answer.answered)).toEqual([true, true]);
    await server.close();

    // The server destroyed the idle connection it never got a ClientHello on, and told us.
    await closed(idle);
    expect(seen).toEqual(server.views());
    expect(seen).toHaveLength(3);
    const idleView = seen.find((view) => view.remotePort === idlePort);
    expect(idleView).toMatchObject({
      decision: 'rejected',
      stage: 'handshake',
      presented: false,
      tlsVersion: null,
    });

    const refused = await new Promise<string>((resolve) => {
      const probe = net.connect(server.port, '127.0.0.1');
      probe.on('connect', () => resolve('connected'));
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    // Handles finish closing on the next turns of the event loop.
    await eventually(() => resources.alive().length === 0);
    resources.stop();
    expect(resources.alive()).toEqual([]);
  });

  it('works with await using, and twice in a row', async () => {
    let port = 0;
    {
      await using server = await startServer({ mode: 'off', pki: fixture.pki() });
      port = server.port;
      expect(server.mode).toBe('no_client_certs');
    }
    const again = await startServer({ mode: 'request', pki: fixture.pki(), port });
    expect(again.port).toBe(port);
    await again.close();
    await again.close();
  });
});

describe('views', () => {
  it('one per connection, for clients that give up or never speak TLS', async () => {
    const server = await start();
    const quiet = net.connect(server.port, '127.0.0.1');
    quiet.on('error', () => {});
    await new Promise((resolve) => quiet.once('connect', resolve));
    const quietPort = quiet.localPort;
    quiet.end();
    await closed(quiet);
    // This client distrusts the server's CA and aborts on its side.
    const distrust = await Promise.all(
      (['1.2', '1.3'] as const).map((tls) =>
        rawTls({ port: server.port, tls, identity: identity('wrong-server-trust') }),
      ),
    );
    for (const answer of distrust) expect(answer.answered).toBe(false);
    const ports = [quietPort, ...distrust.map((answer) => answer.localPort)];
    expect(await eventually(() => server.views().length === 3)).toBe(true);
    expect(
      server
        .views()
        .map((view) => view.remotePort)
        .sort(),
    ).toEqual(ports.sort());
    for (const view of server.views()) expect(view.reason).not.toBe('');
  });

  it('HTTP/2 requests after the first reuse the connection view', async () => {
    const server = await start({ mode: 'verify_client_cert_if_given', tls: '1.3' });
    const answer = await h2({ port: server.port, tls: '1.3', identity: identity('valid') });
    expectValid('server-view', answer.body);
    expect(answer.body).toMatchObject({
      protocol: 'h2',
      verified: true,
      subject: identity('valid').info?.subject,
    });
  });
});

describe('gRPC', () => {
  it("WhoAmI returns the view of the call's own connection", async () => {
    const server = await start({ tls: '1.3' });
    const answer = await grpcCall(
      { port: server.port, tls: '1.3', identity: identity('chain') },
      WHO_AM_I_PATH,
    );
    expect(answer.answered).toBe(true);
    // WhoAmIResponse { string view_json = 1; }: tag 0x0a, varint length, JSON.
    const bytes = answer.body as Buffer;
    expect(bytes[0]).toBe(0x0a);
    const json = bytes.subarray(bytes.indexOf(0x7b)).toString('utf8');
    const view = parseValid<{ fingerprint: string; remote_port: number }>('server-view', json);
    expect(view).toMatchObject({ protocol: 'grpc', alpn: 'h2', verified: true, tls_version: 'TLSv1.3' });
    expect(view.fingerprint).toBe(identity('chain').info?.sha256);
    expect(server.views()[0]?.remotePort).toBe(view.remote_port);
  });

  it('answers unknown methods and unknown health services with gRPC status codes', async () => {
    const server = await start({ mode: 'no_client_certs' });
    const attempt = { port: server.port, tls: '1.3' as const, identity: identity('none') };
    const unknownMethod = await grpcCall(attempt, '/mtlslab.v1.Lab/Nothing');
    expect(unknownMethod.detail).toMatch(/^gRPC UNIMPLEMENTED/);
    const unknownService = await grpcCall(attempt, undefined, encodeStringField(1, 'no.such.Service'));
    expect(unknownService.detail).toMatch(/^gRPC NOT_FOUND: unknown service no.such.Service/);
    const named = await grpcCall(attempt, undefined, encodeStringField(1, 'mtlslab.v1.Lab'));
    expect(named.body).toEqual(Buffer.from([0x08, 0x01]));
  });
});

describe('options', () => {
  it('rejects an unknown mode with the list of valid names', async () => {
    await expect(startServer({ mode: 'sometimes', pki: fixture.pki() })).rejects.toThrow(UsageError);
    await expect(startServer({ mode: 'sometimes', pki: fixture.pki() })).rejects.toThrow(
      /require_and_verify_client_cert/,
    );
  });

  it('refuses a port that is in use', async () => {
    const server = await start();
    await expect(startServer({ mode: 'on', pki: fixture.pki(), port: server.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('serves on ::1 when the loopback has IPv6', async (context) => {
    let server: RunningServer;
    try {
      server = await start({ host: '::1', mode: 'optional' });
    } catch (error) {
      context.skip(`no IPv6 loopback: ${(error as Error).message}`);
      return;
    }
    expect(server.url).toBe(`https://[::1]:${server.port}`);
    const answer = await rawTls({ host: '::1', port: server.port, tls: '1.2', identity: identity('valid') });
    expectValid('server-view', answer.body);
    expect(answer.body).toMatchObject({
      remote_address: '::1',
      verified: true,
      mode: 'verify_client_cert_if_given',
    });
  });

  it('checks CRLs by default and not when told', async () => {
    const attempt = (server: RunningServer) =>
      rawTls({ port: server.port, tls: '1.3', identity: identity('revoked') });
    const checking = await start();
    const trusting = await start({ checkCrl: false });
    expect((await attempt(checking)).answered).toBe(false);
    expect((await attempt(trusting)).answered).toBe(true);
    expect(checking.views()[0]?.verifyError).toBe('CERT_REVOKED');
    expect(trusting.views()[0]).toMatchObject({ verified: true, verifyError: null });
  });
});
