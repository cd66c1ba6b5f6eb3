/**
 * The real-server fixtures do what their configuration says, checked with independent clients
 * (curl, `openssl s_client`, a grpc-js client), never with mtls-lab's own: each refuses and
 * accepts client certificates as its mode promises, serves the TLS versions it is pinned to,
 * and after close() its port refuses connections and its process is gone.
 *
 * A kind is skipped only when missing() says it is not installed; CI installs all of them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelCredentials, Client, status } from '@grpc/grpc-js';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGoBuild, releaseGoBuild } from '../../src/engines/go-build.js';
import { writePki } from '../../src/pki/write.js';
import {
  ECHO_METHOD,
  missing,
  REAL_SERVER_KINDS,
  type RealServer,
  type RealServerKind,
  startGoTls,
  startGrpcJs,
  startJdkHttps,
  startNginx,
  startOpensslWww,
  tcpConnects,
} from '../helpers/real-servers/index.js';
import { sharedPki } from '../helpers/shared-pki.js';

const absent = Object.fromEntries(
  await Promise.all(REAL_SERVER_KINDS.map(async (kind) => [kind, await missing(kind)] as const)),
) as Record<RealServerKind, string | undefined>;
const hasCurl = (await execa('curl', ['--version'], { reject: false })).exitCode === 0;
const hasOpenssl = absent['openssl-www'] === undefined;

/** Bounds for each client run; generous, as the whole file shares two busy cores. */
const CLIENT_TIMEOUT_S = 10;
const TEST_TIMEOUT_MS = 60_000;

let parent = '';
let pkiDir = '';
let holdsGoBuild = false;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'mtls-lab-real-servers-test-'));
  pkiDir = join(parent, 'pki');
  // Held for the whole file, so the Go servers of every case share one build of the program.
  const building =
    absent.go === undefined
      ? acquireGoBuild().then(() => {
          holdsGoBuild = true;
        })
      : undefined;
  await Promise.all([sharedPki().then((pki) => writePki(pki, pkiDir)), building]);
});
afterAll(async () => {
  if (holdsGoBuild) await releaseGoBuild();
  if (parent) await rm(parent, { recursive: true, force: true });
});

const pki = (file: string) => join(pkiDir, file);

interface CurlResult {
  /** '000' when no HTTP answer came (refused handshake, reset, ...). */
  code: string;
  body: string;
  exitCode: number | undefined;
}

/** curl as a user would run it, trusting the PKI's root for the server's certificate. */
async function curl(server: RealServer, identity: string, tls?: '1.2' | '1.3'): Promise<CurlResult> {
  const cert =
    identity === 'none'
      ? []
      : ['--cert', pki(`clients/${identity}-chain.pem`), '--key', pki(`clients/${identity}.key`)];
  const version = tls ? [`--tlsv${tls}`, '--tls-max', tls] : [];
  const url = `https://${server.host}:${server.port}/`;
  const result = await execa(
    'curl',
    [
      '-s',
      '--cacert',
      pki('ca/root.crt'),
      ...cert,
      ...version,
      '--max-time',
      `${CLIENT_TIMEOUT_S}`,
      '-w',
      '\n%{http_code}',
      url,
    ],
    { reject: false },
  );
  const lines = result.stdout.split('\n');
  return { code: lines.pop() ?? '', body: lines.join('\n'), exitCode: result.exitCode };
}

interface SClientResult {
  exitCode: number | undefined;
  /** The alert the server sent, as OpenSSL names it (e.g. 'handshake failure'), if any. */
  alert?: string;
  output: string;
}

/**
 * openssl s_client sending one HTTP/1.0 GET (or nothing), then reading until the server
 * closes (-ign_eof), so a TLS 1.3 refusal that arrives after the client's Finished is seen.
 */
async function sClient(
  server: RealServer,
  identity: string,
  options: { tls?: '1.2' | '1.3'; alpn?: string; get?: boolean } = {},
): Promise<SClientResult> {
  const cert =
    identity === 'none'
      ? []
      : ['-cert', pki(`clients/${identity}.crt`), '-key', pki(`clients/${identity}.key`)];
  const result = await execa(
    'openssl',
    [
      's_client',
      '-connect',
      `${server.host}:${server.port}`,
      '-CAfile',
      pki('ca/root.crt'),
      '-verify_return_error',
      ...cert,
      ...(options.tls ? [`-tls${options.tls.replace('.', '_')}`] : []),
      ...(options.alpn ? ['-alpn', options.alpn] : []),
      '-ign_eof',
    ],
    {
      reject: false,
      input: options.get === false ? '' : 'GET / HTTP/1.0\r\n\r\n',
      timeout: CLIENT_TIMEOUT_S * 1000,
    },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  const alert = /(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)/.exec(output)?.[1];
  return { exitCode: result.exitCode, output, ...(alert ? { alert } : {}) };
}

/** Starts servers together; if one fails, the others are closed before the error is thrown. */
async function startAll(starts: Promise<RealServer>[]): Promise<RealServer[]> {
  const results = await Promise.allSettled(starts);
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((server) => server.close()));
    throw failed.reason;
  }
  return started;
}

/** close() twice (it is idempotent), then: the port refuses connections and the pid is gone. */
async function closeAndCheckGone(servers: RealServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(servers.map((server) => server.close()));
  for (const server of servers) {
    expect(await tcpConnects(server.port), `${server.label}: port ${server.port} still open`).toBe(false);
    if (server.pid !== undefined) {
      expect(() => process.kill(server.pid!, 0), `${server.label}: pid ${server.pid} alive`).toThrow();
    }
  }
}

/** Runs checks against started servers; closes them whatever happens, then checks they are gone. */
async function withServers(starts: Promise<RealServer>[], checks: (servers: RealServer[]) => Promise<void>) {
  const servers = await startAll(starts);
  try {
    await checks(servers);
  } finally {
    await closeAndCheckGone(servers);
  }
}

const needsClients = !hasCurl || !hasOpenssl;

describe.concurrent('real-server fixtures', () => {
  it.skipIf(absent.nginx !== undefined || needsClients)(
    'nginx: on + ssl_crl refuses with HTTP 400; optional_no_ca forgives an unknown issuer only',
    async () => {
      await withServers(
        [
          startNginx({ pkiDir, verify: 'on', crl: true, tls: 'both' }),
          startNginx({ pkiDir, verify: 'optional_no_ca', crl: false, tls: '1.2' }),
        ],
        async ([on, noCa]) => {
          const [none, valid, revoked, selfSigned, expired, tls13, sClientNone] = await Promise.all([
            curl(on!, 'none'),
            curl(on!, 'valid', '1.3'),
            curl(on!, 'revoked'),
            curl(noCa!, 'self-signed'),
            curl(noCa!, 'expired'),
            curl(noCa!, 'valid', '1.3'),
            sClient(on!, 'none', { tls: '1.2' }),
          ]);
          // nginx completes the handshake and refuses in HTTP, with its own 400 pages.
          expect(none.code).toBe('400');
          expect(none.body).toContain('No required SSL certificate was sent');
          expect(valid.code).toBe('200');
          expect(valid.body).toContain('verify=SUCCESS');
          expect(revoked.code).toBe('400');
          expect(revoked.body).toContain('The SSL certificate error');
          expect(sClientNone.alert).toBeUndefined();
          expect(sClientNone.output).toContain('HTTP/1.1 400');
          // optional_no_ca lets an untrusted issuer through (and says so), not an expired cert.
          expect(selfSigned.code).toBe('200');
          expect(selfSigned.body).toContain('verify=FAILED');
          expect(expired.code).toBe('400');
          // Pinned to TLS 1.2: a TLS 1.3-only client gets no answer.
          expect(tls13.code).toBe('000');
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(absent['openssl-www'] !== undefined || needsClients)(
    'openssl-www: require_and_verify refuses with alerts; verify_if_given + CRL refuses revoked',
    async () => {
      await withServers(
        [
          startOpensslWww({ pkiDir, mode: 'require_and_verify_client_cert', tls: 'both' }),
          startOpensslWww({ pkiDir, mode: 'verify_client_cert_if_given', tls: '1.3', crl: true }),
        ],
        async ([strict, ifGiven]) => {
          // s_server serves one connection at a time: each server's clients run in turn.
          const strictChecks = (async () => {
            const none12 = await sClient(strict!, 'none', { tls: '1.2' });
            const none13 = await sClient(strict!, 'none', { tls: '1.3' });
            const valid = await curl(strict!, 'valid');
            const selfSigned = await sClient(strict!, 'self-signed', { tls: '1.2' });
            return { none12, none13, valid, selfSigned };
          })();
          const ifGivenChecks = (async () => {
            const none = await curl(ifGiven!, 'none');
            const revoked = await sClient(ifGiven!, 'revoked');
            const chain = await curl(ifGiven!, 'chain');
            const tls12 = await curl(ifGiven!, 'valid', '1.2');
            return { none, revoked, chain, tls12 };
          })();
          const [s, g] = await Promise.all([strictChecks, ifGivenChecks]);
          expect(s.none12.alert).toBe('handshake failure');
          expect(s.none13.alert).toBe('certificate required');
          expect(s.valid.code).toBe('200');
          expect(s.selfSigned.alert).toBe('unknown ca');
          expect(g.none.code).toBe('200');
          expect(g.revoked.alert).toBe('certificate revoked');
          expect(g.chain.code).toBe('200');
          expect(g.tls12.code).toBe('000');
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(absent.jdk !== undefined || needsClients)(
    'jdk: need refuses a missing or bad certificate in the handshake; want verifies what is sent',
    async () => {
      await withServers(
        [
          startJdkHttps({ pkiDir, clientAuth: 'need', tls: 'both' }),
          startJdkHttps({ pkiDir, clientAuth: 'want', tls: '1.3' }),
        ],
        async ([need, want]) => {
          // The default executor is single-threaded, so concurrent clients are served in turn.
          const [needNone, needValid12, needValid13, needExpired, wantNone, wantSelfSigned, wantTls12] =
            await Promise.all([
              curl(need!, 'none'),
              curl(need!, 'valid', '1.2'),
              curl(need!, 'valid', '1.3'),
              curl(need!, 'expired'),
              curl(want!, 'none'),
              curl(want!, 'self-signed'),
              curl(want!, 'valid', '1.2'),
            ]);
          expect(needNone.code).toBe('000');
          expect(needValid12.code).toBe('200');
          expect(JSON.parse(needValid12.body)).toMatchObject({
            tlsVersion: 'TLSv1.2',
            presented: true,
            subject: 'O=mtls-lab,CN=valid',
          });
          expect(JSON.parse(needValid13.body)).toMatchObject({ tlsVersion: 'TLSv1.3' });
          expect(needExpired.code).toBe('000');
          expect(wantNone.code).toBe('200');
          expect(JSON.parse(wantNone.body)).toMatchObject({ presented: false });
          expect(wantSelfSigned.code).toBe('000');
          expect(wantTls12.code).toBe('000');
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(absent['grpc-js'] !== undefined || !hasOpenssl)(
    'grpc-js: checkClientCertificate refuses a client without a certificate; no health service',
    async () => {
      await withServers(
        [
          startGrpcJs({ pkiDir, checkClientCertificate: true }),
          startGrpcJs({ pkiDir, checkClientCertificate: false }),
        ],
        async ([checking, plain]) => {
          const [none12, none13, say, health, plainSay] = await Promise.all([
            sClient(checking!, 'none', { tls: '1.2', alpn: 'h2', get: false }),
            sClient(checking!, 'none', { tls: '1.3', alpn: 'h2', get: false }),
            grpcCall(checking!, ECHO_METHOD, 'valid'),
            grpcCall(checking!, '/grpc.health.v1.Health/Check', 'valid'),
            grpcCall(plain!, ECHO_METHOD, 'none'),
          ]);
          expect(none12.alert).toBe('handshake failure');
          expect(none13.alert).toBe('certificate required');
          expect(say).toEqual({ code: status.OK, reply: 'hello' });
          expect(health.code).toBe(status.UNIMPLEMENTED);
          expect(plainSay).toEqual({ code: status.OK, reply: 'hello' });
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(absent.go !== undefined || needsClients)(
    'go: RequireAndVerifyClientCert refuses with an alert; RequestClientCert takes anything',
    async () => {
      await withServers(
        [
          startGoTls({ pkiDir, mode: 'require_and_verify_client_cert', tls: 'both' }),
          startGoTls({ pkiDir, mode: 'request_client_cert', tls: '1.2' }),
        ],
        async ([verify, request]) => {
          const [none, valid, wrongEku, sClientNone, requestNone, requestSelfSigned, requestTls13] =
            await Promise.all([
              curl(verify!, 'none'),
              curl(verify!, 'valid'),
              curl(verify!, 'wrong-eku'),
              sClient(verify!, 'none', { tls: '1.3' }),
              curl(request!, 'none'),
              curl(request!, 'self-signed'),
              curl(request!, 'valid', '1.3'),
            ]);
          expect(none.code).toBe('000');
          expect(sClientNone.alert).toBeDefined();
          // net/http serves HTTP/2 by ALPN: curl negotiates it.
          expect(valid.code).toBe('200');
          expect(JSON.parse(valid.body)).toMatchObject({ protocol: 'HTTP/2.0', verified: true });
          expect(wrongEku.code).toBe('000');
          expect(requestNone.code).toBe('200');
          expect(requestSelfSigned.code).toBe('200');
          expect(JSON.parse(requestSelfSigned.body)).toMatchObject({
            verified: false,
            subject: expect.stringMatching(/CN=self-signed\b/),
          });
          expect(requestTls13.code).toBe('000');
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(absent.nginx !== undefined || absent.go !== undefined)(
    'a start that fails releases what it started and says why',
    async () => {
      const nowhere = join(parent, 'no-such-pki');
      await expect(startNginx({ pkiDir: nowhere, verify: 'on', crl: false, tls: 'both' })).rejects.toThrow(
        /no-such-pki\/server\/server-chain\.pem/,
      );
      await expect(startGoTls({ pkiDir: nowhere, mode: 'no_client_certs', tls: 'both' })).rejects.toThrow(
        /server certificate: open .*no-such-pki/,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

/** One unary call through the real grpc-js client, as the RoadRunner document shows it. */
async function grpcCall(
  server: RealServer,
  method: string,
  identity: string,
): Promise<{ code: number; reply?: string }> {
  const read = (file: string) => readFile(pki(file));
  const [root, key, chain] = await Promise.all([
    read('ca/root.crt'),
    identity === 'none' ? undefined : read(`clients/${identity}.key`),
    identity === 'none' ? undefined : read(`clients/${identity}-chain.pem`),
  ]);
  // The server's certificate names 127.0.0.1 too, but TLS SNI must be a host name (RFC 6066).
  const client = new Client(`${server.host}:${server.port}`, ChannelCredentials.createSsl(root, key, chain), {
    'grpc.ssl_target_name_override': 'localhost',
  });
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        method,
        (data: Buffer) => data,
        (data: Buffer) => data,
        Buffer.from('hello'),
        { deadline: Date.now() + CLIENT_TIMEOUT_S * 1000 },
        (error, reply) =>
          resolve(error ? { code: error.code } : { code: status.OK, reply: reply?.toString('utf8') ?? '' }),
      );
    });
  } finally {
    client.close();
  }
}
