/**
 * `mtls-lab config` prints what the engine runs: for each installed engine, started through its
 * driver on a PKI folder from `gen`, the configuration it wrote into its folder (for openssl, go
 * and jvm: its command line) equals what `config` prints for that PKI, folder and port. Node's printed options,
 * imported as a module, equal the options the built-in servers use.
 */
import { readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineConfig } from '../../src/commands/config.js';
import { CONFIG_RENDERERS } from '../../src/engines/printed-config.js';
import { GO_SERVER_NAME } from '../../src/engines/go-build.js';
import { JSSE_MAIN_CLASS, JSSE_SERVER_SOURCE } from '../../src/engines/jvm.js';
import { DRIVERS, driverOf, type Engine, unavailableReason } from '../../src/engines/registry.js';
import type { EngineServer } from '../../src/engines/types.js';
import type { Mode } from '../../src/modes.js';
import { loadPki } from '../../src/pki/load.js';
import type { PkiMaterial } from '../../src/pki/types.js';
import { writePki } from '../../src/pki/write.js';
import { tlsServerOptions } from '../../src/servers/tls-options.js';
import { enginePki } from './engine-fixture.js';

/** The names each engine gives the server's files in its own folder (engines/program.ts). */
const ENGINE_FILE = {
  cert: 'server.crt',
  key: 'server.key',
  certChain: 'server-chain.pem',
  certChainKey: 'server-chain-key.pem',
  clientCa: 'client-ca.pem',
  crl: 'crl.pem',
} as const;

let root: string;
let pkiDir: string;
let pki: PkiMaterial;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtls-lab-config-'));
  pkiDir = join(root, 'pki');
  await writePki(await enginePki(), pkiDir);
  pki = await loadPki(pkiDir);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

it('every engine has a printable configuration', () => {
  expect(DRIVERS.filter((driver) => !CONFIG_RENDERERS[driver.name]).map((driver) => driver.name)).toEqual([]);
});

const commandLine = async (pid: number) =>
  (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);

/**
 * What the engine ran: its configuration file, or its command line (openssl: the -www
 * process's). go and jvm run what they built from source out of the user's cache folder, where
 * `config` names a place in the server's folder: that one word is put in its place.
 */
async function ran(engine: Engine, server: EngineServer): Promise<{ text: string; dir: string }> {
  if (engine === 'go' || engine === 'jvm') {
    const dir = server.dirs!()[0]!;
    const argv = await commandLine(server.pids!()[0]!);
    if (engine === 'go') argv[0] = join(dir, GO_SERVER_NAME);
    // Where the classes cannot be cached, the source launcher runs the same class from its source.
    else if (argv.includes('-cp')) argv[argv.indexOf('-cp') + 1] = join(dir, 'classes');
    else argv.splice(argv.indexOf(JSSE_SERVER_SOURCE), 1, '-cp', join(dir, 'classes'), JSSE_MAIN_CLASS);
    return { text: `${argv.join(' ')}\n`, dir };
  }
  if (engine !== 'openssl') {
    const dir = server.dirs!()[0]!;
    const file = { nginx: 'nginx.conf', caddy: 'caddy.json', haproxy: 'haproxy.cfg', apache: 'httpd.conf' }[
      engine as string
    ]!;
    return { text: await readFile(join(dir, file), 'utf8'), dir };
  }
  const pids = server.pids!();
  for (const [index, pid] of pids.entries()) {
    const argv = await commandLine(pid);
    if (argv.at(-1) === '-www') return { text: `${argv.join(' ')}\n`, dir: server.dirs!()[index]! };
  }
  throw new Error('no openssl -www process');
}

const CASES: [Engine, Mode, boolean][] = [
  ['nginx', 'require_and_verify_client_cert', true],
  ['nginx', 'request_client_cert', false],
  ['caddy', 'verify_client_cert_if_given', false],
  ['haproxy', 'require_any_client_cert', false],
  ['haproxy', 'require_and_verify_client_cert', true],
  ['apache', 'verify_client_cert_if_given', true],
  ['openssl', 'require_and_verify_client_cert', true],
  ['openssl', 'request_client_cert', false],
  ['go', 'require_and_verify_client_cert', true],
  ['jvm', 'verify_client_cert_if_given', true],
];

// Each case starts its own server: they run side by side, as most of a start is waiting for it.
describe.concurrent('config --engine prints what the engine ran', () => {
  it.for(CASES)(
    '%s --mode %s (CRL %s)',
    { timeout: 30_000 },
    async ([engine, mode, checkCrl], { expect, skip }) => {
      const missing = await unavailableReason(engine);
      if (missing) skip(missing);
      const server = await driverOf(engine).start({ mode, tls: '1.3', checkCrl, pki });
      try {
        const { text, dir } = await ran(engine, server);
        const printed = await engineConfig({
          engine,
          mode,
          pki: pkiDir,
          tls: 'TLSv1.3',
          crl: checkCrl,
          port: String(server.port),
          runDir: dir,
        });
        // The engine's copies of the PKI's files are in its folder; the printed paths are the PKI's.
        let expected = text;
        for (const file of printed.files)
          expected = expected.replaceAll(join(dir, ENGINE_FILE[file.role]), file.path);
        expect(printed.config).toBe(expected);
        expect(printed.files.length).toBeGreaterThan(0);
        for (const file of printed.files) expect(printed.config).toContain(file.path);
      } finally {
        await server.close();
      }
    },
  );
});

describe('config --engine node', () => {
  it.each([
    ['require_and_verify_client_cert', true],
    ['verify_client_cert_if_given', false],
    ['no_client_certs', false],
  ] as const)('prints, for %s, the options the built-in servers use', async (mode, checkCrl) => {
    const printed = await engineConfig({ engine: 'node', mode, pki: pkiDir, tls: '1.2', crl: checkCrl });
    const module = join(root, `node-${mode}.mjs`);
    await writeFile(module, printed.config);
    const { options } = (await import(pathToFileURL(module).href)) as { options: Record<string, unknown> };
    const expected = tlsServerOptions(mode, pki, '1.2', checkCrl);
    expect(options).toEqual(expected);
  });
});

describe('a forgiving mode is the setting the engine states behaves so', () => {
  it.each([
    ['nginx', 'ssl_verify_client optional_no_ca;'],
    ['apache', 'SSLVerifyClient optional_no_ca'],
  ])('%s optional_no_ca', async (engine, setting) => {
    const printed = await engineConfig({ engine, mode: 'optional_no_ca' });
    expect(printed.mode).toBe('request_client_cert');
    expect(printed.config).toContain(setting);
  });
});

describe('config refuses what the engine cannot run', () => {
  it.each([
    [
      { engine: 'nginx', mode: 'require_any_client_cert' },
      /nginx engine cannot run require_any_client_cert: nginx has no/,
    ],
    [{ engine: 'caddy', mode: 'on', crl: true }, /caddy engine cannot check CRLs/],
    [{ engine: 'iis', mode: 'on' }, /unknown engine "iis"; allowed: node, openssl/],
    [{ engine: 'nginx', mode: 'sometimes' }, /sometimes/],
    [{ engine: 'nginx', mode: 'on', tls: '1.1' }, /--tls: unknown value "1.1"/],
    [
      { engine: 'caddy', mode: 'optional_no_ca' },
      /caddy engine has no setting that behaves as verify_client_cert_if_given forgiving untrusted-issuer/,
    ],
  ])('%j', async (options, message) => {
    await expect(engineConfig(options)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(message),
    });
  });
});
