/**
 * `openssl s_server -www`: OpenSSL's own test server, answering GET with its status page. The
 * mode flags come from the project's openssl engine (sServerArgs), so this fixture and
 * `--engine openssl` cannot drift apart. s_server handles ONE connection at a time: a client
 * that holds a connection open makes the next one wait in the backlog. Tests want exactly
 * such a server (a slow, serial peer).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sServerArgs } from '../../../src/engines/openssl.js';
import { OPENSSL_BINARY } from '../../../src/engines/openssl.js';
import type { Mode } from '../../../src/modes.js';
import { onFreePort, PortInUse } from './net.js';
import { closer, fixtureDir, HOST, removeDir, spawnGroup } from './process.js';
import { type RealServer, type TlsChoice, tlsLabel } from './types.js';

export interface StartOpensslWwwOptions {
  /** A folder written by writePki(). */
  pkiDir: string;
  mode: Mode;
  tls: TlsChoice;
  /** Check client certificates against crl.pem (-crl_check_all). */
  crl?: boolean;
}

export function opensslWwwLabel(options: Pick<StartOpensslWwwOptions, 'mode' | 'tls' | 'crl'>): string {
  return `openssl s_server -www ${options.mode}${options.crl ? ' + CRL' : ''}, ${tlsLabel(options.tls)}`;
}

export async function startOpensslWww(options: StartOpensslWwwOptions): Promise<RealServer> {
  const label = opensslWwwLabel(options);
  const dir = await fixtureDir();
  try {
    const read = (file: string) => readFile(join(options.pkiDir, file), 'utf8');
    const [root, crl, cert, chain] = await Promise.all(
      ['ca/root.crt', 'crl.pem', 'server/server.crt', 'server/server-chain.pem'].map(read),
    );
    // -CAfile is the client CA alone; with CRLs it must also carry them (-CRL takes only one),
    // so then a copy with both goes into the temp dir.
    let ca = join(options.pkiDir, 'ca/root.crt');
    if (options.crl) {
      ca = join(dir, 'client-ca-and-crls.pem');
      await writeFile(ca, `${root!.trim()}\n${crl!}`);
    }
    const files = {
      cert: join(options.pkiDir, 'server/server.crt'),
      key: join(options.pkiDir, 'server/server.key'),
      ca,
      // As the engine does: -cert_chain only when it adds something (an intermediate), else the
      // leaf would be sent twice.
      ...(chain!.trim() !== cert!.trim() ? { chain: join(options.pkiDir, 'server/server-chain.pem') } : {}),
    };
    // sServerArgs pins one version; for 'both' that pin is dropped, so s_server offers 1.2 and 1.3.
    const pinned = sServerArgs(
      options.mode,
      options.tls === '1.3' ? '1.3' : '1.2',
      !!options.crl,
      files,
      '-www',
    );
    const args = options.tls === 'both' ? pinned.filter((arg) => arg !== '-tls1_2') : pinned;
    return await onFreePort(async (port) => {
      const child = spawnGroup(OPENSSL_BINARY, ['s_server', '-accept', `${HOST}:${port}`, ...args]);
      try {
        // s_server prints ACCEPT on stdout once it listens: an event, no polling (a probing
        // connect would also take s_server's one connection slot).
        await child.waitFor('stdout', /^ACCEPT$/m, label);
      } catch (error) {
        await child.stop();
        if (/address already in use/i.test(child.stderr())) throw new PortInUse((error as Error).message);
        throw error;
      }
      return { kind: 'openssl-www', label, host: HOST, port, pid: child.pid, close: closer({ child, dir }) };
    });
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}
