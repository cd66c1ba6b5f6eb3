/**
 * `mtls-lab probe` through its command function, through main() for exit codes, and once
 * through the built binary (`npm test` builds dist/ first), against real servers: one of
 * ours, and an nginx-like HTTPS server that refuses certificates with 495/496 after the handshake.
 * The binary's JSON is the report itself, so its probe of require_any_client_cert also serves
 * the check of the words printed for it (one probe, not two).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { probeCommand, probeExitCode, renderProbe } from '../src/commands/probe.js';
import type { ProbeReport } from '../src/remote/probe.js';
import { memoryOutput } from '../src/output.js';
import type { PkiMaterial } from '../src/pki/types.js';
import { writePki } from '../src/pki/write.js';
import { type RunningServer, startServer } from '../src/servers/server.js';
import { mtlsLab } from './helpers/cli.js';
import { pkiPerWorker } from './helpers/pki-per-worker.js';
import { parseValid } from './helpers/json-schema.js';

let work: string;
let pkiDir: string;
let serverCaFile: string;
let pki: PkiMaterial;
let requireAny: RunningServer;
let plain: RunningServer;
let nginxLike: HttpsServer;
let nginxPort: number;

/** Like nginx `ssl_verify_client on`: the handshake always completes, HTTP says no. */
function startNginxLike(material: PkiMaterial): Promise<HttpsServer> {
  const server = createHttpsServer(
    {
      cert: material.server.chain,
      key: material.server.key,
      ca: material.clientCa,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const presented = Object.keys(socket.getPeerCertificate()).length > 0;
      res.statusCode = socket.authorized ? 200 : presented ? 495 : 496;
      res.end(socket.authorized ? 'welcome\n' : 'client certificate refused\n');
    },
  );
  return new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server)));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-probe-'));
  pki = await pkiPerWorker();
  pkiDir = join(work, 'pki');
  serverCaFile = join(work, 'server-ca.pem');
  [requireAny, plain, nginxLike] = await Promise.all([
    startServer({ mode: 'require_any_client_cert', pki, tls: '1.3' }),
    startServer({ mode: 'no_client_certs', pki }),
    startNginxLike(pki),
    writePki(pki, pkiDir),
    writeFile(serverCaFile, pki.serverCa),
  ]);
  nginxPort = (nginxLike.address() as { port: number }).port;
});

/** The built binary's `probe --json` of the require_any_client_cert server, run once. */
let binaryProbe: Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> | undefined;
const probeRequireAnyWithBinary = () =>
  (binaryProbe ??= mtlsLab(['probe', `127.0.0.1:${requireAny.port}`, '--pki', pkiDir, '--json']));

afterAll(async () => {
  await binaryProbe?.catch(() => undefined);
  nginxLike.closeAllConnections();
  await Promise.all([
    requireAny.close(),
    plain.close(),
    new Promise((resolve) => nginxLike.close(resolve)),
    rm(work, { recursive: true, force: true }),
  ]);
  expect(existsSync(work)).toBe(false);
  expect(nginxLike.listening).toBe(false);
});

describe('probeCommand', () => {
  it('names require_any_client_cert with the PKI given, and prints why (built binary, --json)', async () => {
    const run = await probeRequireAnyWithBinary();
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ProbeReport;
    expect(report).toMatchObject({
      mode: 'require_any_client_cert',
      class: 'required',
      confidence: 'certain',
      trusted_identity: true,
      tls_versions: ['1.3'],
    });
    expect(probeExitCode(report)).toBe(0);
    const io = memoryOutput();
    renderProbe(report, io);
    const text = io.stdoutText();
    expect(text).toMatch(`127.0.0.1:${requireAny.port}: require_any_client_cert (certain)`);
    expect(text).toMatch(/no certificate: rejected — closed after the handshake, no answer/);
    expect(text).toMatch(/a self-signed certificate: accepted/);
    expect(text).toMatch(/The observations fit require_any_client_cert: all 10 observations/);
  });

  it('names the mode of a server that refuses in HTTP (495/496) after completing the handshake', async () => {
    const report = await probeCommand({ target: `https://127.0.0.1:${nginxPort}`, pkiDir, timeoutMs: 4000 });
    expect(report, report.evidence.join('\n')).toMatchObject({
      mode: 'require_and_verify_client_cert',
      confidence: 'certain',
    });
    expect(report.evidence.join('\n')).toMatch(
      /no certificate: rejected — .*refused by the application \(HTTP 496\)/,
    );
    expect(report.evidence.join('\n')).toMatch(/self-signed certificate: rejected — .*HTTP 495/);
    // The raw TLS client sends an HTTP request too, so it sees the same refusal by the application.
    const refusals = report.attempts.filter((attempt) => attempt.verdict === 'rejected');
    expect(new Set(refusals.map((attempt) => attempt.protocol))).toEqual(new Set(['tls', 'https']));
    expect(refusals.every((attempt) => attempt.by_application)).toBe(true);
  });

  it('cannot tell no_client_certs from request_client_cert when openssl is missing, and says what would tell', async () => {
    const report = await probeCommand({
      target: `127.0.0.1:${plain.port}`,
      serverCaFile,
      timeoutMs: 4000,
      openssl: join(work, 'no-such-openssl'),
    });
    // request_client_cert fits as well, and its class differs: no mode and no class can be named.
    expect(report).toMatchObject({
      mode: null,
      forgives: null,
      class: null,
      confidence: 'cannot tell',
      certificate_request: null,
    });
    expect(report.certificate_request_unavailable).toMatch(/no-such-openssl is not installed/);
    expect(report.notes.join(' ')).toMatch(/Telling no_client_certs from request_client_cert needs/);
  });

  it('names no_client_certs when openssl sees no CertificateRequest', async () => {
    const report = await probeCommand({ target: `127.0.0.1:${plain.port}`, serverCaFile, timeoutMs: 4000 });
    expect(report).toMatchObject({ mode: 'no_client_certs', class: 'not-requested', confidence: 'certain' });
    expect(report.certificate_request).toMatchObject({ sent: false, ca_names: [] });
  });
});

describe('mtls-lab probe exit codes', () => {
  it('exits 1 only when it can tell neither a mode nor a class', () => {
    expect(probeExitCode({ mode: null, class: null })).toBe(1);
    expect(probeExitCode({ mode: null, class: 'required' })).toBe(0);
    expect(probeExitCode({ mode: 'no_client_certs', class: 'not-requested' })).toBe(0);
  });

  it('exits 2 with a clear message for an unreachable server and for a bad target', async () => {
    const closed = await startServer({ mode: 'no_client_certs', pki });
    await closed.close();
    const unreachable = memoryOutput();
    expect(await main(['probe', `127.0.0.1:${closed.port}`], unreachable)).toBe(2);
    expect(unreachable.stderrText()).toMatch(`cannot reach 127.0.0.1:${closed.port} — connection refused`);
    const bad = memoryOutput();
    expect(await main(['probe', 'http://127.0.0.1:80'], bad)).toBe(2);
    expect(bad.stderrText()).toMatch(/probe: cannot use "http:\/\/127\.0\.0\.1:80": scheme "http"/);
  });

  it('prints the JSON contract from the built binary', async () => {
    const run = await probeRequireAnyWithBinary();
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const report = parseValid<{ attempts: Record<string, unknown>[] }>('probe', String(run.stdout));
    expect(report).toMatchObject({
      version: 2,
      mode: 'require_any_client_cert',
      class: 'required',
      confidence: 'certain',
      evidence: expect.arrayContaining([expect.stringMatching(/^no certificate: rejected/)]),
      certificate_request: { sent: true, ca_names: ['CN = mtls-lab Root CA, O = mtls-lab'] },
    });
    // Beside the words, the numbers: a valid certificate over HTTPS got HTTP 200.
    expect(report.attempts).toContainEqual(
      expect.objectContaining({
        identity: 'valid',
        protocol: 'https',
        verdict: 'accepted',
        status: 'HTTP 200',
        http_status: 200,
        grpc_code: null,
      }),
    );
    expect(report.attempts).toContainEqual(
      expect.objectContaining({ identity: 'none', verdict: 'rejected', status: null, http_status: null }),
    );
  });
});
