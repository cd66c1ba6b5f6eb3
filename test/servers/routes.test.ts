/**
 * Per-route client mTLS on one real listener: each route judges the presented certificate
 * against its own CA pool (403 or 200), views name the route, the admin endpoint counts,
 * and close() leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient } from '../../src/clients/run-client.js';
import type { ClientResult } from '../../src/clients/types.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { type RunningServer, type ServerRoute, startServer } from '../../src/servers/server.js';
import type { Protocol } from '../../src/servers/types.js';
import { eventually, trackResources } from '../helpers/resource-tracker.js';
import { expectValid } from '../helpers/json-schema.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

let pki: PkiMaterial;
beforeAll(async () => {
  pki = await pkiPerWorker();
});

function routes(): ServerRoute[] {
  return [
    { name: 'payments', path: '/payments', policy: { mode: 'verify', trust: pki.cas.root.cert } },
    { name: 'internal', path: '/internal', policy: { mode: 'verify', trust: pki.cas.unrelated.cert } },
    {
      name: 'legacy',
      path: '/legacy',
      policy: { mode: 'verify', trust: pki.cas.root.cert, forgives: ['expired'] },
    },
    // nginx's optional_no_ca: verify if given, forgiving an untrusted issuer only.
    { name: 'nginx', path: '/nginx', policy: { mode: 'optional_no_ca', trust: pki.cas.root.cert } },
    { name: 'devices', path: '/devices', policy: { mode: 'require' } },
    { name: 'public', path: '/public', policy: null },
  ];
}

function ask(server: RunningServer, identity: string, path: string, protocol: Protocol = 'https') {
  const material = pki.identities.find((candidate) => candidate.name === identity)!;
  return runClient({
    protocol,
    host: server.host,
    port: server.port,
    tls: '1.3',
    certChain: material.chain,
    key: material.key,
    serverTrust: material.serverTrust,
    timeoutMs: 5000,
    path,
  });
}

const status = (result: ClientResult) => result.request.status;

describe('a listener with per-route policies', () => {
  let server: RunningServer;
  const resources = trackResources();
  afterAll(async () => {
    await server?.close();
    resources.stop();
  });

  it('judges each request by its route, counts, and leaves nothing after close', async () => {
    server = await resources.scope(() => startServer({ mode: 'request', pki, routes: routes() }));
    const cases: [identity: string, path: string, protocol: Protocol, expected: string][] = [
      ['valid', '/payments/charge', 'https', 'HTTP 200'],
      ['untrusted-ca', '/payments', 'h2', 'HTTP 403'],
      ['none', '/payments', 'https', 'HTTP 403'],
      ['untrusted-ca', '/internal', 'https', 'HTTP 200'],
      ['valid', '/internal', 'h2', 'HTTP 403'],
      ['expired', '/legacy', 'https', 'HTTP 200'],
      ['expired', '/payments', 'https', 'HTTP 403'],
      ['self-signed', '/devices', 'h2', 'HTTP 200'],
      ['none', '/devices', 'https', 'HTTP 403'],
      ['none', '/public', 'h2', 'HTTP 200'],
      ['none', '/elsewhere', 'https', 'HTTP 404'],
      ['self-signed', '/nginx', 'https', 'HTTP 200'],
      ['untrusted-ca', '/nginx', 'h2', 'HTTP 200'],
      ['chain-no-intermediate', '/nginx', 'https', 'HTTP 200'],
      ['none', '/nginx', 'https', 'HTTP 200'],
      ['expired', '/nginx', 'https', 'HTTP 403'],
      ['not-yet-valid', '/nginx', 'h2', 'HTTP 403'],
      ['wrong-eku', '/nginx', 'https', 'HTTP 403'],
    ];
    const results = await Promise.all(cases.map(([id, path, protocol]) => ask(server, id, path, protocol)));
    expect(results.map(status)).toEqual(cases.map((c) => c[3]));
    for (const result of results) expectValid('server-view', result.answer);
    expect(results[1]?.request.kind).toBe('refused');
    expect(results[1]?.answer).toMatchObject({
      route: 'payments',
      decision: 'rejected',
      stage: 'request',
      verified: false,
      verify_error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
    // Forgiven: accepted, and the view still says the certificate did not verify, and why.
    expect(results[5]?.answer).toMatchObject({
      route: 'legacy',
      decision: 'accepted',
      verified: false,
      verify_error: 'CERT_HAS_EXPIRED',
    });
    expect((results[5]?.answer as { reason: string }).reason).toMatch(
      /\(CERT_HAS_EXPIRED\), which the route forgives \(expired\)$/,
    );
    expect(results[11]?.answer).toMatchObject({ route: 'nginx', decision: 'accepted', verified: false });
    expect((results[11]?.answer as { reason: string }).reason).toMatch(
      /DEPTH_ZERO_SELF_SIGNED_CERT.*forgives \(untrusted-issuer\)/,
    );
    expect(results[0]?.answer).toMatchObject({ route: 'payments', verified: true, verify_error: null });
    expect(results[15]?.answer).toMatchObject({ route: 'nginx', verify_error: 'CERT_HAS_EXPIRED' });

    const admin = await ask(server, 'none', '/admin/client-mtls');
    expect(status(admin)).toBe('HTTP 200');
    expect(admin.answer).toEqual({
      payments: { verified: 1, rejected: 3 },
      internal: { verified: 1, rejected: 1 },
      legacy: { verified: 1, rejected: 0 },
      devices: { verified: 1, rejected: 1 },
      nginx: { verified: 4, rejected: 3 },
    });

    await server.close();
    const views = server.views();
    expect(views).toHaveLength(cases.length + 1);
    const byPort = new Map(views.map((view) => [view.remotePort, view]));
    cases.forEach(([, path], i) => {
      const view = byPort.get(results[i]!.localPort!);
      expect(view?.route).toBe(path === '/elsewhere' ? undefined : path.split('/')[1]);
      expect(view?.mode).toBe('request_client_cert');
      expect(view?.decision).toBe(status(results[i]!) === 'HTTP 200' ? 'accepted' : 'rejected');
    });
    await eventually(() => resources.alive().length === 0);
    expect(resources.alive()).toEqual([]);
  });

  it('refuses a verifying route without a CA pool', async () => {
    await expect(
      startServer({ mode: 'request', pki, routes: [{ path: '/x', policy: { mode: 'verify' } }] }),
    ).rejects.toThrow(/route \/x verifies client certificates but has no CA pool/);
  });
});
