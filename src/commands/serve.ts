/**
 * `mtls-lab serve --mode M`: one ephemeral server in one client-auth mode, serving raw TLS,
 * HTTPS, HTTP/2 and gRPC on one loopback port. The first stdout line is the URL (scripts
 * read it); then ready-to-paste client commands per identity; then one line per connection.
 * Without --pki a fresh PKI is written to a temporary folder and removed on exit.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliContext } from '../cli.js';
import { engineDir, removeDir } from '../engines/engine-dir.js';
import { InputError, isUsageError, messageOf, UsageError } from '../errors.js';
import { expectCell } from '../matrix/oracle.js';
import { describeBehaviour, MODE_PROMISES, type Mode, resolveBehaviour } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import { loadPki, readManifest } from '../pki/load.js';
import type { PkiMaterial } from '../pki/types.js';
import { writePki } from '../pki/write.js';
import { clientCommands, type IdentityFiles } from '../servers/copy-paste.js';
import { GRPC_PROTOS } from '../servers/grpc-wire.js';
import { type RunningServer, startServer } from '../servers/server.js';
import type { TlsVersion } from '../servers/types.js';
import { renderViewLine } from '../servers/view-line.js';
import { stage } from '../stages.js';
import { SERVE_HOSTS } from './declare/defaults.js';
import { parseChoice, parseTlsVersion } from './options.js';

export { SERVE_HOSTS } from './declare/defaults.js';

export interface ServeOptions {
  mode: string;
  /** A folder written by `mtls-lab gen`; default: a fresh PKI in a temporary folder. */
  pkiDir?: string;
  port?: number;
  /** Pin one TLS version; default: 1.2 and 1.3. */
  tls?: TlsVersion;
  host?: (typeof SERVE_HOSTS)[number];
  /** Stops the server (Ctrl-C in the CLI). */
  signal: AbortSignal;
  /** Called once the server listens and its banner is printed. */
  onListening?: (server: RunningServer, workDir: string) => void;
}

/** The PKI and the path of each identity's files, from manifest.json. */
async function preparePki(
  options: ServeOptions,
  workDir: string,
): Promise<{ pki: PkiMaterial; dir: string }> {
  if (!options.pkiDir) {
    const dir = join(workDir, 'pki');
    const pki = await generatePki({}, options.signal);
    await writePki(pki, dir, { signal: options.signal });
    return { pki, dir };
  }
  const dir = resolve(options.pkiDir);
  try {
    return { pki: await loadPki(dir), dir };
  } catch (error) {
    if (isUsageError(error)) throw error;
    throw new InputError(`cannot load the PKI in ${dir}: ${messageOf(error)}`);
  }
}

async function identityFiles(dir: string): Promise<(IdentityFiles & { description: string })[]> {
  const manifest = await readManifest(dir);
  const path = (file: string) => join(dir, file);
  return manifest.identities.map((identity) => ({
    name: identity.name,
    description: identity.description,
    serverTrust: path(identity.serverTrust),
    ...(identity.chain && identity.key ? { chain: path(identity.chain), key: path(identity.key) } : {}),
  }));
}

async function listen(options: ServeOptions, mode: Mode, pki: PkiMaterial, ctx: CliContext) {
  try {
    return await startServer({
      mode,
      pki,
      tls: options.tls,
      host: options.host,
      port: options.port,
      // Logged on stdout, then on stderr once stdout's reader has gone (`| head -n1`).
      onView: (view) => ctx.io.log(renderViewLine(view, ctx.io.stdoutOpen ? ctx.io.c : ctx.io.e)),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host ?? '127.0.0.1'} port ${options.port ?? 0}`;
    if (code === 'EADDRINUSE') throw new UsageError(`${where} is already in use; choose another --port.`);
    if (code === 'EACCES')
      throw new UsageError(`not allowed to listen on ${where}; choose a --port above 1023.`);
    if (code === 'EADDRNOTAVAIL')
      throw new UsageError(`${where}: this machine has no such loopback address.`);
    throw error;
  }
}

export function renderBanner(
  server: RunningServer,
  pki: PkiMaterial,
  files: (IdentityFiles & { description: string })[],
  protoDir: string,
  ctx: CliContext,
): void {
  const { c } = ctx.io;
  const promise = MODE_PROMISES[server.mode];
  const checksCrl = promise.verifies && pki.crl.includes('BEGIN X509 CRL');
  ctx.io.line(c.bold(`# mode ${server.mode}: ${promise.summary}`));
  ctx.io.line(c.dim('# one port: raw TLS (no ALPN: send a line, get the view), HTTPS, HTTP/2, gRPC'));
  for (const identity of files) {
    const traits = pki.identities.find((candidate) => candidate.name === identity.name)?.traits;
    const expected = traits && expectCell(server.mode, traits, { checksCrl });
    const verdict = expected
      ? ` ${expected.verdict === 'accepted' ? c.green('expect accepted') : c.red('expect rejected')}: ${expected.reason}`
      : '';
    ctx.io.line();
    ctx.io.line(`${c.cyan(`# ${identity.name}`)} ${c.dim(identity.description)}${verdict}`);
    const commands = clientCommands(identity, { host: server.host, port: server.port, protoDir });
    ctx.io.line(commands.curl);
    ctx.io.line(commands.openssl);
    ctx.io.line(commands.grpcurl);
  }
  ctx.io.line();
  ctx.io.line(c.dim('# connections (Ctrl-C to stop):'));
}

export async function serveCommand(options: ServeOptions, ctx: CliContext): Promise<void> {
  const behaviour = resolveBehaviour(options.mode, '--mode');
  // A Node server verifies inside the handshake and cannot let one failure through: running
  // the stricter mode under a forgiving name would misstate what the name means.
  if (behaviour.forgives.length > 0)
    throw new UsageError(
      `--mode ${options.mode} is ${describeBehaviour(behaviour)}; the built-in server cannot forgive a verification ` +
        'failure. Use a scenario with a route whose client_mtls names it (see scenarios/runway-per-route.yaml), or the nginx engine (--engine nginx).',
    );
  const { mode } = behaviour;
  // A marked folder (it holds keys): if serve is killed outright, the next run removes it.
  const workDir = await engineDir('serve');
  let server: RunningServer | undefined;
  try {
    const { pki, dir } = await preparePki(options, workDir);
    const files = await identityFiles(dir);
    const protoDir = join(workDir, 'proto');
    await mkdir(protoDir);
    for (const [name, text] of Object.entries(GRPC_PROTOS)) await writeFile(join(protoDir, name), text);
    if (options.signal.aborted) return;
    stage('starting the server');
    server = await listen(options, mode, pki, ctx);
    ctx.io.line(server.url);
    renderBanner(server, pki, files, protoDir, ctx);
    stage(`serving on ${server.url}`);
    options.onListening?.(server, workDir);
    await new Promise<void>((done) => {
      if (options.signal.aborted) done();
      else options.signal.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    await server?.close();
    await removeDir(workDir);
  }
}

/** What `mtls-lab serve` does (declared in ./declare/). */
export async function serveAction(
  ctx: CliContext,
  raw: { mode: string; pki?: string; port?: string; tls?: string; host: string },
): Promise<void> {
  const options = {
    mode: raw.mode,
    pkiDir: raw.pki,
    port: raw.port === undefined ? undefined : parsePort(raw.port),
    tls: raw.tls === undefined ? undefined : parseTlsVersion(raw.tls, '--tls'),
    host: parseChoice(raw.host, SERVE_HOSTS, '--host'),
  };
  ctx.endsOnInterrupt();
  await serveCommand({ ...options, signal: ctx.signal }, ctx);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535; got "${value}".`);
  return port;
}
