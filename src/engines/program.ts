/**
 * What every config-file engine shares: the server's files written into its folder (keys
 * 0600), asking whether a program is installed, and one supervised process as an
 * EngineServer on one port.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from '../exec.js';
import type { ServerCredentials } from '../servers/server.js';
import { serverUrl } from '../servers/server.js';
import { startExternal, type ExternalStart } from './external.js';
import type { EngineServer, EngineStartOptions } from './types.js';

export interface ServerFiles {
  cert: string;
  key: string;
  /** Leaf first, then any intermediates. */
  certChain: string;
  /** Leaf, intermediates and key in one file (HAProxy's crt). */
  certChainKey: string;
  /** The CA that verifies client certificates (the root only). */
  clientCa: string;
  /** Every CRL of the PKI (empty when it has none). */
  crl: string;
}

export async function writeServerFiles(dir: string, pki: ServerCredentials): Promise<ServerFiles> {
  const files: ServerFiles = {
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
    certChain: join(dir, 'server-chain.pem'),
    certChainKey: join(dir, 'server-chain-key.pem'),
    clientCa: join(dir, 'client-ca.pem'),
    crl: join(dir, 'crl.pem'),
  };
  const cert = `${pki.server.cert.trim()}\n`;
  const chain = pki.server.chain?.trim() ? `${pki.server.chain.trim()}\n` : cert;
  const certChain = chain.startsWith(cert.trim()) ? chain : `${cert}${chain}`;
  const key = `${pki.server.key.trim()}\n`;
  // Keys are 0600 from their first write.
  await Promise.all([
    writeFile(files.cert, cert),
    writeFile(files.key, key, { mode: 0o600 }),
    writeFile(files.certChain, certChain),
    writeFile(files.certChainKey, `${certChain}${key}`, { mode: 0o600 }),
    writeFile(files.clientCa, `${pki.clientCa.trim()}\n`),
    writeFile(files.crl, pki.crl?.trim() ? `${pki.crl.trim()}\n` : ''),
  ]);
  return files;
}

/** stdout and stderr of `binary args` when it exits 0; undefined when it cannot run. */
export async function versionOf(binary: string, args: string[]): Promise<string | undefined> {
  const result = await runProgram(binary, args, { timeout: 15_000, all: true });
  return result.exitCode === 0 ? String(result.all) : undefined;
}

export interface ProgramServer extends Omit<ExternalStart, 'prepare' | 'host' | 'signal'> {
  prepare(dir: string, host: string, port: number): ReturnType<ExternalStart['prepare']>;
}

/** One supervised process serving every protocol of the engine on one loopback port. */
export async function startProgramServer(
  options: EngineStartOptions,
  program: ProgramServer,
): Promise<EngineServer> {
  const host = '127.0.0.1';
  const started = await startExternal({
    ...program,
    host,
    prepare: (dir, port) => program.prepare(dir, host, port),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const close = () => started.process.stop();
  return {
    engine: program.engine,
    host,
    port: started.port,
    url: serverUrl(host, started.port),
    mode: options.mode,
    portFor: () => started.port,
    pids: () => [started.process.pid],
    dirs: () => [started.dir],
    // The engine reports its view in its answers (EngineDriver.viewFromAnswer), not here.
    views: () => [],
    close,
    [Symbol.asyncDispose]: close,
  };
}
