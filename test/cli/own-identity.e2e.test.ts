/**
 * Bring your own identity: client certificates from a CA of the user's own, made with the real
 * openssl CLI, against the built-in servers (with and without --client-ca), against a server
 * the test runs as "the gateway" (--target), and with probe. Commands run through the CLI's
 * main() in this process.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki } from '../../src/pki/generate.js';
import { writePki } from '../../src/pki/write.js';
import { type RunningServer, startServer } from '../../src/servers/server.js';
import { runMain } from '../helpers/cli.js';
import { makeOwnCa } from '../helpers/own-ca.js';

interface Cell {
  mode: string;
  identity: string;
  expected: string;
  expected_reason: string;
  verdict: string | null;
  pass: boolean | null;
}

let work: string;
let pkiDir: string;
let ca: string;
let crl: string;
let ours: { cert: string; key: string };
let old: { cert: string; key: string };
let gone: { cert: string; key: string };
let strayKey: string;
let gateway: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mtls-lab-own-'));
  const own = await makeOwnCa(work);
  ca = own.ca;
  [ours, old, gone] = [
    await own.issue('ours'),
    await own.issue('old', { expired: true }),
    await own.issue('gone'),
  ];
  crl = await own.revoke(gone.cert);
  strayKey = join(work, 'stray.key');
  await execa('openssl', [
    'genpkey',
    '-algorithm',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    strayKey,
  ]);
  const pki = await generatePki();
  pkiDir = (await writePki(pki, join(work, 'pki'))).dir;
  // "The gateway": our server certificate, but it trusts only the user's own CA.
  gateway = await startServer({
    mode: 'require_and_verify_client_cert',
    pki: { server: pki.server, clientCa: await readFile(ca, 'utf8') },
    checkCrl: false,
  });
});
afterAll(async () => {
  await gateway?.close();
  await rm(work, { recursive: true, force: true });
});

const cellsOf = (stdout: string): Cell[] => (JSON.parse(stdout) as { cells: Cell[] }).cells;
const verdicts = (cells: Cell[], identity: string) =>
  Object.fromEntries(cells.filter((c) => c.identity === identity).map((c) => [c.mode, c.verdict]));
const small = ['--protocols', 'tls', '--tls', '1.3', '--format', 'json'];
// Against the built-in servers: three modes, on the file's one PKI instead of a fresh one each.
const builtIn = () => ['--modes', 'require_any,verify_if_given,on', ...small, '--pki', pkiDir];

describe('matrix with --client-cert against the built-in servers', () => {
  it('judges a certificate from an unknown CA as untrusted, and runs it beside the generated identities', async () => {
    const run = await runMain(['matrix', ...builtIn(), '--client-cert', ours.cert, '--client-key', ours.key]);
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stderr + run.stdout.slice(0, 3000)).toBe(0);
    const cells = cellsOf(run.stdout);
    // 13 generated identities and "ours" (named after its CN), 3 modes.
    expect(new Set(cells.map((c) => c.identity)).size).toBe(14);
    expect(verdicts(cells, 'ours')).toEqual({
      require_any_client_cert: 'accepted',
      verify_client_cert_if_given: 'rejected',
      require_and_verify_client_cert: 'rejected',
    });
    const verifying = cells.find(
      (c) => c.identity === 'ours' && c.mode === 'require_and_verify_client_cert',
    )!;
    expect(verifying.expected_reason).toMatch(/Our Own CA is neither sent along nor trusted/);
    expect(cells.every((c) => c.pass === true)).toBe(true);
  });

  it("with --client-ca, the servers trust the user's CA: theirs verify, expired and revoked ones do not, ours do not", async () => {
    const run = await runMain([
      'matrix',
      ...builtIn(),
      '--client-ca',
      ca,
      '--client-crl',
      crl,
      '--client-cert',
      ours.cert,
      '--client-key',
      ours.key,
      '--client-cert',
      old.cert,
      '--client-key',
      old.key,
      '--client-cert',
      gone.cert,
      '--client-key',
      gone.key,
      '--name',
      'ours',
      '--name',
      'expired-ours',
      '--name',
      'revoked-ours',
      '--identities',
      'valid,ours,expired-ours,revoked-ours',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stderr + run.stdout.slice(0, 3000)).toBe(0);
    const cells = cellsOf(run.stdout);
    expect(cells.every((c) => c.pass === true)).toBe(true);
    const verify = { verify_client_cert_if_given: 'rejected', require_and_verify_client_cert: 'rejected' };
    expect(verdicts(cells, 'ours')).toEqual({
      require_any_client_cert: 'accepted',
      verify_client_cert_if_given: 'accepted',
      require_and_verify_client_cert: 'accepted',
    });
    expect(verdicts(cells, 'valid')).toMatchObject(verify);
    expect(verdicts(cells, 'expired-ours')).toMatchObject(verify);
    expect(verdicts(cells, 'revoked-ours')).toMatchObject(verify);
    const reason = (identity: string) =>
      cells.find((c) => c.identity === identity && c.mode === 'require_and_verify_client_cert')!
        .expected_reason;
    expect(reason('ours')).toMatch(/verifies against --client-ca .*ca\.pem/);
    expect(reason('expired-ours')).toMatch(/does not verify: expired/);
    expect(reason('revoked-ours')).toMatch(/revoked in the CRL/);
  });

  // Paths are known only once beforeAll ran: each case builds its arguments then.
  const badInput: [string, () => string[], () => string | RegExp][] = [
    [
      'a key that does not match its certificate',
      () => ['--client-cert', ours.cert, '--client-key', strayKey],
      () => `--client-key ${strayKey} does not match --client-cert ${ours.cert}`,
    ],
    [
      'more certificates than keys',
      () => ['--client-cert', ours.cert, '--client-cert', old.cert, '--client-key', ours.key],
      () => /got 2 --client-cert and 1 --client-key/,
    ],
    [
      'a key given as the certificate',
      () => ['--client-cert', ours.key, '--client-key', ours.cert],
      () => /--client-cert .*ours\.key holds no PEM certificate but a private key/,
    ],
    [
      'a name already taken',
      () => ['--client-cert', ours.cert, '--client-key', ours.key, '--name', 'valid'],
      () => /identity name "valid" .* is already taken/,
    ],
  ];
  for (const [what, args, message] of badInput) {
    it(`refuses ${what} before anything runs (exit 2), naming the option and the file`, async () => {
      const run = await runMain(['matrix', ...args()]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      const expected = message();
      if (typeof expected === 'string') expect(run.stderr).toContain(expected);
      else expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('--client-cert against a server the user runs', () => {
  const target = (...args: string[]) =>
    runMain([
      'matrix',
      '--target',
      gateway.url,
      '--pki',
      pkiDir,
      '--expect-mode',
      'on',
      '--client-cert',
      ours.cert,
      '--client-key',
      ours.key,
      '--client-ca',
      ca,
      '--identities',
      'ours,valid,none',
      ...small,
      ...args,
    ]);

  it('"does the gateway accept our certificate from our CA?": yes, and it refuses the PKI\'s', async () => {
    const run = await target('--target-no-crl');
    expect(run.exitCode, run.stderr + run.stdout.slice(0, 3000)).toBe(0);
    const cells = cellsOf(run.stdout);
    expect(verdicts(cells, 'ours')).toEqual({ require_and_verify_client_cert: 'accepted' });
    expect(verdicts(cells, 'valid')).toEqual({ require_and_verify_client_cert: 'rejected' });
    expect(cells.every((c) => c.pass === true)).toBe(true);
  });

  it('leaves it open when the target checks CRLs and no CRL says whether ours is revoked', async () => {
    const cell = cellsOf((await target('--target-checks-crl')).stdout).find((c) => c.identity === 'ours')!;
    expect(cell.expected).toBe('either');
    expect(cell.expected_reason).toMatch(/whether this certificate is revoked/);
  });

  it("knows it is not revoked once its CA's CRL is given", async () => {
    const known = cellsOf((await target('--target-checks-crl', '--client-crl', crl)).stdout);
    expect(known.find((c) => c.identity === 'ours')!.expected).toBe('accepted');
  });

  it('probe presents it too, and with it sees a verified certificate accepted', async () => {
    const run = await runMain([
      'probe',
      gateway.url.replace('https://', ''),
      '--json',
      '--server-ca',
      join(pkiDir, 'ca', 'root.crt'),
      '--client-cert',
      ours.cert,
      '--client-key',
      ours.key,
      '--name',
      'ours',
      '--client-ca',
      ca,
    ]);
    expect(run.exitCode, run.stderr + run.stdout.slice(0, 3000)).toBe(0);
    const report = JSON.parse(run.stdout) as {
      mode: string;
      evidence: string[];
      notes: string[];
      attempts: { identity: string; verdict: string }[];
    };
    expect(report.mode).toBe('require_and_verify_client_cert');
    const mine = report.attempts.filter((a) => a.identity === 'ours');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.verdict === 'accepted')).toBe(true);
    expect(report.evidence.some((line) => line.startsWith('your certificate "ours": accepted'))).toBe(true);
    expect(report.notes.join(' ')).not.toMatch(/No trusted identity was probed/);
  });
});
