/**
 * `mtls-lab serve`: in every mode the printed curl and openssl commands, run as printed,
 * are answered or refused as the mode promises; the built binary prints the URL first,
 * stops on SIGINT/SIGTERM with exit 0 and removes its temporary folder (and the PKI it made
 * there, not one it was given); bad input exits 2.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { serveCommand } from '../src/commands/serve.js';
import { MODES, type Mode } from '../src/modes.js';
import { memoryOutput } from '../src/output.js';
import { generatePki } from '../src/pki/generate.js';
import { writePki } from '../src/pki/write.js';
import type { RunningServer } from '../src/servers/server.js';
import { parseValid } from './helpers/json-schema.js';
import { engineDirsOf } from './helpers/processes.js';

const hasCurl = (await execa('curl', ['--version'], { reject: false })).exitCode === 0;
const hasOpenssl = (await execa('openssl', ['version'], { reject: false })).exitCode === 0;
const BUILT = new URL('../dist/commands/serve.js', import.meta.url);
const BIN = new URL('../bin/mtls-lab.js', import.meta.url).pathname;

// One PKI folder for the in-process runs (the binary test covers the temporary one).
let parent = '';
let pkiDir = '';
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'mtls-lab-serve-test-'));
  pkiDir = join(parent, 'pki');
  await writePki(await generatePki(), pkiDir);
});
afterAll(async () => {
  if (parent) await rm(parent, { recursive: true, force: true });
});

/** The printed commands, by identity name. */
function printedCommands(stdout: string): Map<string, { curl?: string; openssl?: string }> {
  const byName = new Map<string, { curl?: string; openssl?: string }>();
  let current: { curl?: string; openssl?: string } | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^# (\S+) /.exec(line);
    if (header?.[1] && header[1] !== 'mode' && header[1] !== 'one') {
      current = {};
      byName.set(header[1], current);
    } else if (current && line.startsWith('curl ')) current.curl = line;
    else if (current && line.startsWith('echo hello | openssl ')) current.openssl = line;
  }
  return byName;
}

/** Expected verdict for the identities used here, straight from the mode table in PRODUCT.md. */
const ACCEPTS: Record<Mode, string[]> = {
  no_client_certs: ['none', 'valid', 'self-signed', 'expired'],
  request_client_cert: ['none', 'valid', 'self-signed', 'expired'],
  require_any_client_cert: ['valid', 'self-signed', 'expired'],
  verify_client_cert_if_given: ['none', 'valid'],
  require_and_verify_client_cert: ['valid'],
};
const TRIED = ['none', 'valid', 'self-signed', 'expired'];

/** Runs `serve` in-process until `work` is done, then stops it through its AbortSignal. */
async function withServe<T>(mode: string, work: (server: RunningServer, stdout: () => string) => Promise<T>) {
  const io = memoryOutput();
  const controller = new AbortController();
  let workDir = '';
  let ready!: (server: RunningServer) => void;
  const listening = new Promise<RunningServer>((resolve) => (ready = resolve));
  const onListening = (server: RunningServer, dir: string) => {
    workDir = dir;
    ready(server);
  };
  const running = serveCommand(
    { mode, pkiDir, signal: controller.signal, onListening },
    { io, setExitCode: () => {}, signal: controller.signal, endsOnInterrupt: () => {} },
  );
  let server: RunningServer | undefined;
  try {
    server = await Promise.race([listening, running.then(() => Promise.reject(new Error('serve ended')))]);
    return await work(server, () => io.stdoutText());
  } finally {
    controller.abort();
    await running;
    // Stopped means: nothing listens, the proto folder is gone, the PKI folder given is kept.
    if (server) expect(await connectCode(server.port)).toBe('ECONNREFUSED');
    expect(workDir && existsSync(workDir)).toBe(false);
    expect(existsSync(join(pkiDir, 'manifest.json'))).toBe(true);
  }
}

function connectCode(port: number): Promise<string> {
  return new Promise((resolve) => {
    const probe = net.connect(port, '127.0.0.1');
    probe.on('connect', () => {
      probe.destroy();
      resolve('connected');
    });
    probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe.concurrent.each(MODES)('serve --mode %s', (mode) => {
  it.skipIf(!hasCurl)('answers the printed curl commands as the mode promises', async () => {
    await withServe(mode, async (server, stdout) => {
      expect(stdout().split('\n')[0]).toBe(server.url);
      const commands = printedCommands(stdout());
      for (const name of TRIED) {
        const curl = commands.get(name)?.curl;
        expect(curl, name).toBeDefined();
        const result = await execa(`${curl} --max-time 5 --silent --show-error`, {
          shell: true,
          reject: false,
        });
        const accepted = ACCEPTS[mode].includes(name);
        expect(result.exitCode === 0, `${name}: ${result.stderr}`).toBe(accepted);
        if (accepted)
          expect(parseValid('server-view', result.stdout)).toMatchObject({ mode, decision: 'accepted' });
      }
      // One logged line per connection, after the banner.
      expect(stdout().match(/^\S+ #\d+ /gm)).toHaveLength(TRIED.length);
    });
  });
});

describe('serve output', () => {
  it.skipIf(!hasOpenssl)(
    'the printed openssl command sends the whole chain and gets the view back',
    async () => {
      await withServe('verify', async (server, stdout) => {
        const openssl = printedCommands(stdout()).get('chain')?.openssl;
        const result = await execa(openssl!, { shell: true, reject: false, timeout: 10_000 });
        expect(result.exitCode, result.stderr).toBe(0);
        const view = parseValid<{ subject: string }>('server-view', result.stdout.trim());
        expect(view).toMatchObject({ version: 1, protocol: 'tls', alpn: null, verified: true });
        expect(view.subject).toMatch(/^CN=chain\b/);
        expect(server.views()).toHaveLength(1);
      });
    },
  );
});

describe('serve, bad input (exit 2)', () => {
  const run = async (...args: string[]) => {
    const io = memoryOutput();
    const code = await main(['serve', ...args], io);
    return { code, stderr: io.stderrText() };
  };
  it('unknown mode lists the valid names and aliases', async () => {
    const { code, stderr } = await run('--mode', 'sometimes');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /require_and_verify_client_cert \(RequireAndVerifyClientCert, on, verify, require_verify\)/,
    );
    // A forgiving alias says what it lets through.
    expect(stderr).toMatch(/verify_client_cert_if_given \([^)]*optional_no_ca = forgives untrusted-issuer/);
  });
  it('a PKI folder that is missing or has no manifest', async () => {
    expect((await run('--mode', 'on', '--pki', '/nonexistent/mtls-pki')).stderr).toMatch(/not found/);
    expect((await run('--mode', 'on', '--pki', '/tmp')).code).toBe(2);
  });
  it('a port in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const { code, stderr } = await run('--mode', 'on', '--pki', pkiDir, '--port', String(port));
      expect(code).toBe(2);
      expect(stderr).toMatch(/already in use/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
  it('a host that is not loopback, a bad --tls', async () => {
    expect((await run('--mode', 'on', '--host', '0.0.0.0')).code).toBe(2);
    expect((await run('--mode', 'on', '--tls', '1.1')).code).toBe(2);
  });
});

describe('the built binary', () => {
  // `npm test` builds first; a bare `vitest run` without dist/ cannot run the binary.
  // One generates its PKI into its folder; the other serves the file's (no keygen) and keeps it.
  it.skipIf(!existsSync(BUILT) || !hasCurl).each([
    ['SIGINT', 'its own PKI', 'require_and_verify_client_cert'],
    ['SIGTERM', 'the PKI given', 'RequireAnyClientCert'],
  ] as const)(
    'prints the URL first, serves curl, exits 0 on %s and removes its folder (%s)',
    async (signal, pkiKind, mode) => {
      const given = pkiKind === 'the PKI given';
      const args = ['serve', '--mode', mode, '--tls', '1.3', ...(given ? ['--pki', pkiDir] : [])];
      const child = execa('node', [BIN, ...args], { reject: false, timeout: 30_000, env: { NO_COLOR: '1' } });
      try {
        let stdout = '';
        await new Promise<void>((resolve, reject) => {
          child.stdout?.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
            if (/\n# connections/.test(stdout)) resolve();
          });
          child.on('exit', () => reject(new Error(`serve exited early: ${stdout}`)));
        });
        expect(stdout.split('\n')[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const curl = printedCommands(stdout).get('valid')?.curl;
        const workDir = /-import-path (\S*\/mtls-lab-engine-serve-[^/\s]+)\/proto\b/.exec(stdout)?.[1];
        const pki = given ? pkiDir : join(workDir ?? '', 'pki');
        expect(curl).toContain(`--cacert ${join(pki, 'ca', 'root.crt')} `);
        expect(workDir && existsSync(join(pki, 'manifest.json'))).toBe(true);
        const answer = await execa(`${curl} --max-time 5 --silent`, { shell: true, reject: false });
        expect(parseValid('server-view', answer.stdout)).toMatchObject({
          decision: 'accepted',
          tls_version: 'TLSv1.3',
        });

        child.kill(signal);
        const result = await child;
        expect(result.stdout).toMatch(/#1 127\.0\.0\.1:\d+ TLSv1\.3 h2 accepted CN=valid/);
        expect(existsSync(workDir!)).toBe(false);
        expect(existsSync(join(pkiDir, 'manifest.json'))).toBe(true);
        // Stopping is how serve ends: a success, not an interruption (130).
        expect(result.exitCode, result.stderr).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  it.skipIf(!existsSync(BUILT))(
    'a serve killed outright leaves its folder, with its keys, to the next run, which removes it',
    { timeout: 60_000 },
    async () => {
      const start = (...args: string[]) => {
        const child = execa('node', [BIN, 'serve', '--mode', 'on', ...args], {
          reject: false,
          timeout: 30_000,
          env: { NO_COLOR: '1' },
        });
        let stdout = '';
        const serving = new Promise<void>((resolve, reject) => {
          child.stdout?.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
            if (/\n# connections/.test(stdout)) resolve();
          });
          child.on('exit', () => reject(new Error(`serve exited early: ${stdout}`)));
        });
        return { child, serving };
      };
      const first = start();
      try {
        await first.serving;
        const dirs = await engineDirsOf(first.child.pid!);
        expect(dirs).toHaveLength(1);
        first.child.kill('SIGKILL');
        await first.child;
        expect(existsSync(dirs[0]!), 'SIGKILL runs no code of ours').toBe(true);
        // The next run sweeps at start-up whatever PKI it serves: the file's, without keygen.
        const next = start('--pki', pkiDir);
        try {
          await next.serving;
          expect(existsSync(dirs[0]!)).toBe(false);
        } finally {
          next.child.kill('SIGINT');
          await next.child;
        }
      } finally {
        first.child.kill('SIGKILL');
      }
    },
  );
});
