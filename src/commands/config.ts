/**
 * `mtls-lab config --engine E --mode M`: the server configuration an engine runs for a mode,
 * rendered by the same function the engine's start() uses, with paths into `--pki DIR` (or
 * placeholders under /etc/mtls) and the port asked for. The configuration alone goes to stdout,
 * so it can be redirected into a file; what each file must hold and how to run it go to stderr.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CliContext } from '../cli.js';
import { printable, UsageError } from '../errors.js';
import { CONFIG_RENDERERS } from '../engines/printed-config.js';
import type { ServerFiles } from '../engines/program.js';
import { driverOf, type Engine, ENGINES } from '../engines/registry.js';
import type { EngineDriver } from '../engines/types.js';
import { inexpressible } from '../engines/types.js';
import { type Behaviour, describeBehaviour, type Mode, resolveBehaviour } from '../modes.js';
import { loadPki, readManifest } from '../pki/load.js';
import type { TlsVersion } from '../servers/types.js';
import { parsePositiveInt, parseTlsVersion } from './options.js';

export const PLACEHOLDER_DIR = '/etc/mtls';
export const DEFAULT_PORT = 8443;
export const runDirFor = (engine: string): string => `/var/lib/mtls-lab/${engine}`;

export interface ConfigOptions {
  engine: string;
  mode: string;
  pki?: string;
  tls?: string;
  crl?: boolean;
  port?: string;
  runDir?: string;
}

export interface ConfigFile {
  /** Which of the server's files (as the engines name them). */
  role: keyof ServerFiles;
  path: string;
  holds: string;
  /** How to make it from the PKI folder, when `gen` does not write it. */
  make?: string;
}

export interface EngineConfig {
  engine: Engine;
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  /** What to save it as (the engine's own file name); null for a command line or Node options. */
  file: string | null;
  config: string;
  files: ConfigFile[];
  /** How mtls-lab runs it; null when the configuration is itself a command line. */
  run: string | null;
  notes: string[];
}

const HOLDS: Record<keyof ServerFiles, string> = {
  cert: 'the server certificate',
  key: "the server's private key (keep it 0600)",
  certChain: 'the server certificate followed by any intermediates',
  certChainKey: 'the server certificate, any intermediates and its private key, in one file (keep it 0600)',
  clientCa: 'the CA certificate(s) client certificates must chain to',
  crl: "the client CAs' CRLs, PEM, one after another",
};

/** The files as `gen` lays them out in a PKI folder (its manifest says where). */
async function pkiFiles(
  dir: string,
): Promise<{ files: ServerFiles; hasChain: boolean; make: Partial<Record<keyof ServerFiles, string>> }> {
  const root = resolve(dir);
  const [manifest, pki] = await Promise.all([readManifest(root), loadPki(root)]);
  const at = (path: string) => join(root, path);
  const certChainKey = at('server/server-chain-key.pem');
  const rel = (path: string) => relative(root, path);
  return {
    files: {
      cert: at(manifest.server.cert),
      key: at(manifest.server.key),
      certChain: at(manifest.server.chain),
      certChainKey,
      clientCa: at(manifest.clientCa),
      crl: at(manifest.crl),
    },
    hasChain: (pki.server.chain ?? '').trim() !== pki.server.cert.trim(),
    make: existsSync(certChainKey)
      ? {}
      : {
          certChainKey: `(umask 077; cat ${rel(at(manifest.server.chain))} ${rel(at(manifest.server.key))} > ${rel(certChainKey)})`,
        },
  };
}

const placeholders = (): ServerFiles => ({
  cert: `${PLACEHOLDER_DIR}/server.crt`,
  key: `${PLACEHOLDER_DIR}/server.key`,
  certChain: `${PLACEHOLDER_DIR}/server-chain.pem`,
  certChainKey: `${PLACEHOLDER_DIR}/server-chain-key.pem`,
  clientCa: `${PLACEHOLDER_DIR}/client-ca.pem`,
  crl: `${PLACEHOLDER_DIR}/crl.pem`,
});

function parseEngine(name: string): Engine {
  const engine = ENGINES.find((one) => one === name.trim().toLowerCase());
  if (!engine)
    throw new UsageError(`--engine: unknown engine "${printable(name)}"; allowed: ${ENGINES.join(', ')}.`);
  return engine;
}

/**
 * The mode whose setting gives this behaviour. A forgiving one (nginx's `optional_no_ca`) is
 * the setting the engine states behaves so, not the stricter mode it forgives from.
 */
function modeFor(driver: EngineDriver, behaviour: Behaviour, engine: string): Mode {
  if (behaviour.forgives.length === 0) return behaviour.mode;
  const same = (other: Behaviour | undefined) =>
    other?.mode === behaviour.mode && other.forgives.join() === behaviour.forgives.join();
  const deviation = driver.deviations.find(
    (candidate) => candidate.modes?.length === 1 && candidate.checksCrl !== true && same(candidate.behaves),
  );
  if (!deviation?.modes?.[0])
    throw new UsageError(
      `the ${engine} engine has no setting that behaves as ${describeBehaviour(behaviour)}.`,
    );
  return deviation.modes[0];
}

/** The configuration as data; a mode or CRL check the engine cannot express is a UsageError (exit 2). */
export async function engineConfig(options: ConfigOptions): Promise<EngineConfig> {
  const engine = parseEngine(options.engine);
  const driver = driverOf(engine);
  const mode = modeFor(driver, resolveBehaviour(options.mode, '--mode'), engine);
  const tls = options.tls === undefined ? '1.3' : parseTlsVersion(options.tls, '--tls');
  const port = options.port === undefined ? DEFAULT_PORT : parsePositiveInt(options.port, '--port', 65535);
  const checkCrl = options.crl === true;
  const cannot = inexpressible(driver.modes[mode]);
  if (cannot) throw new UsageError(`the ${engine} engine cannot run ${mode}: ${cannot}.`);
  if (checkCrl && driver.crl !== true)
    throw new UsageError(`--crl: the ${engine} engine cannot check CRLs: ${driver.crl}.`);
  const render = CONFIG_RENDERERS[engine];
  if (!render) throw new UsageError(`the ${engine} engine has no configuration mtls-lab can print yet.`);

  const fromPki = options.pki === undefined ? undefined : await pkiFiles(options.pki);
  const files = fromPki?.files ?? placeholders();
  // openssl's -CAfile carries the CRLs too: with CRL checks it is a file of its own.
  const combined = engine === 'openssl' && checkCrl;
  const caFile = files.clientCa;
  if (combined && options.pki !== undefined)
    files.clientCa = join(resolve(options.pki), 'client-ca-crls.pem');
  const dir = options.runDir === undefined ? runDirFor(engine) : resolve(options.runDir);
  const printed = render({
    mode,
    tls,
    checkCrl,
    host: '127.0.0.1',
    port,
    dir,
    files,
    hasChain: fromPki?.hasChain ?? false,
  });

  const make: Partial<Record<keyof ServerFiles, string>> = { ...fromPki?.make };
  if (combined && options.pki !== undefined) {
    const rel = (path: string) => relative(resolve(options.pki!), path);
    make.clientCa = `cat ${rel(caFile)} ${rel(files.crl)} > ${rel(files.clientCa)}`;
  }
  const used = (Object.keys(HOLDS) as (keyof ServerFiles)[]).filter(
    (role, index, roles) =>
      printed.text.includes(files[role]) &&
      roles.findIndex((other) => files[other] === files[role]) === index,
  );
  return {
    engine,
    mode,
    tls,
    checkCrl,
    file: printed.file,
    config: printed.text,
    files: used.map((role) => ({
      role,
      path: files[role],
      holds: role === 'clientCa' && combined ? `${HOLDS.clientCa}, followed by their CRLs` : HOLDS[role],
      ...(make[role] ? { make: make[role] } : {}),
    })),
    run: printed.run?.(printed.file ? join(dir, printed.file) : '') ?? null,
    notes: printed.notes,
  };
}

/** What `mtls-lab config` does (declared in ./declare/). */
export async function configAction(ctx: CliContext, options: ConfigOptions): Promise<void> {
  const config = await engineConfig(options);
  ctx.io.data(config.config);
  const { e } = ctx.io;
  ctx.io.note(
    e.dim(
      `# what \`mtls-lab matrix --engine ${config.engine}\` runs for ${config.mode}, TLS ${config.tls}${config.checkCrl ? ', checking CRLs' : ''}`,
    ),
  );
  for (const file of config.files)
    ctx.io.note(
      e.dim(
        `# ${file.path}: ${file.holds}${file.make ? ` (not written by gen; in the PKI folder, make it with: ${file.make})` : ''}`,
      ),
    );
  if (config.run) ctx.io.note(e.dim(`# run: ${config.run}`));
  for (const note of config.notes) ctx.io.note(e.dim(`# ${note}`));
}
