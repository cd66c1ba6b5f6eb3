/**
 * A configuration printed by `mtls-lab config` runs as printed: nginx started on the printed
 * nginx.conf (only the port chosen here) answers a valid client certificate with 200 and an
 * untrusted one with 400, checked by curl, an independent client. The configuration on stdout
 * and the notes on stderr are checked once through the built binary, as separate streams of a
 * real process; the other runs are main() in this process.
 */
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/engines/registry.js';
import { mtlsLab, runMain } from '../helpers/cli.js';

const missing = (await unavailableReason('nginx')) ?? (await curlMissing());

async function curlMissing(): Promise<string | undefined> {
  const run = await execa('curl', ['--version'], { reject: false });
  return run.exitCode === 0 ? undefined : 'curl is not installed';
}

/** A port that was free a moment ago; nginx reports it if it was taken since, and we try another. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtls-lab-config-e2e-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** nginx on the printed configuration, ready (its worker started) or failed, within 20 s. */
async function startNginx(runDir: string, conf: string) {
  const child = execa('nginx', ['-p', `${runDir}/`, '-c', conf, '-e', 'stderr'], {
    reject: false,
    timeout: 60_000,
  });
  let log = '';
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/start worker process/.test(log)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    void child.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  return { child, ready, log: () => log };
}

async function stop(child: ResultPromise) {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child;
  clearTimeout(timer);
}

describe.skipIf(missing !== undefined)(
  `a pasted nginx configuration (${missing ?? 'nginx and curl installed'})`,
  () => {
    it(
      'runs as printed: the valid client certificate gets 200, an untrusted one 400',
      { timeout: 90_000 },
      async () => {
        const pki = join(root, 'pki');
        expect((await runMain(['gen', '--out', pki])).exitCode).toBe(0);
        const runDir = join(root, 'run');
        const conf = join(runDir, 'nginx.conf');
        let started: Awaited<ReturnType<typeof startNginx>> | undefined;
        let port = 0;
        // Bounded: a port taken between choosing and binding it is chosen again, at most 3 times.
        for (let attempt = 0; attempt < 3 && !started?.ready; attempt++) {
          port = await freePort();
          const printed = await runMain([
            'config',
            '--engine',
            'nginx',
            '--mode',
            'on',
            '--pki',
            pki,
            '--run-dir',
            runDir,
            '--port',
            String(port),
          ]);
          expect(printed.exitCode, printed.stderr).toBe(0);
          expect(printed.stderr).toContain(join(pki, 'ca/root.crt'));
          await mkdir(runDir, { recursive: true });
          await writeFile(conf, printed.stdout);
          started = await startNginx(runDir, conf);
          if (!started.ready) {
            await stop(started.child);
            expect(started.log(), 'nginx did not start').toMatch(/address already in use/i);
          }
        }
        const nginx = started!;
        try {
          expect(nginx.ready, nginx.log()).toBe(true);
          const curl = (identity: string) =>
            execa(
              'curl',
              [
                '-sS',
                '--max-time',
                '10',
                '--cacert',
                join(pki, 'ca/root.crt'),
                '--cert',
                join(pki, `clients/${identity}.crt`),
                '--key',
                join(pki, `clients/${identity}.key`),
                '-w',
                '\n%{http_code}',
                `https://127.0.0.1:${port}/`,
              ],
              { reject: false },
            );
          const valid = await curl('valid');
          expect(valid.stdout.trim().split('\n').at(-1), valid.stderr).toBe('200');
          expect(valid.stdout).toContain('"verify":"SUCCESS"');
          const untrusted = await curl('untrusted-ca');
          expect(untrusted.stdout.trim().split('\n').at(-1), untrusted.stderr).toBe('400');
        } finally {
          await stop(nginx.child);
        }
        expect(nginx.child.exitCode ?? nginx.child.signalCode).not.toBeUndefined();
      },
    );
  },
);

describe('config on the command line', () => {
  it('says why a mode cannot be printed, with exit 2', async () => {
    const run = await runMain(['config', '--engine', 'apache', '--mode', 'require_any_client_cert']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /apache engine cannot run require_any_client_cert: mod_ssl has no require-without-verify/,
    );
    expect(run.stdout).toBe('');
  });

  it('prints placeholders under /etc/mtls and says on stderr what each file holds (built binary)', async () => {
    const run = await mtlsLab([
      'config',
      '--engine',
      'haproxy',
      '--mode',
      'verify_client_cert_if_given',
      '--tls',
      '1.2',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('verify optional ca-file /etc/mtls/client-ca.pem');
    expect(run.stdout).toContain('ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2');
    expect(run.stderr).toContain(
      '/etc/mtls/server-chain-key.pem: the server certificate, any intermediates and its private key',
    );
  });
});
