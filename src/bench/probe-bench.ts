/**
 * `probe` timed as a user runs it (the built binary, process start included) against a
 * server in every mode and TLS version: the built-in Node servers, and `openssl s_server -www`
 * (one connection at a time) where openssl is installed. Each must name the right mode.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startOpensslServer } from '../engines/openssl.js';
import type { EngineServer } from '../engines/types.js';
import { MODES, type Mode } from '../modes.js';
import { generatePki } from '../pki/generate.js';
import { writePki } from '../pki/write.js';
import { startServer } from '../servers/server.js';
import { TLS_VERSIONS, type TlsVersion } from '../servers/types.js';

export interface ProbeTiming {
  server: string;
  ms: number;
  named: string | null;
  right: boolean;
}

type Start = (mode: Mode, tls: TlsVersion) => Promise<Pick<EngineServer, 'host' | 'port' | 'close'>>;

export async function timeProbes(cli: string, withOpenssl: boolean): Promise<ProbeTiming[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-bench-'));
  try {
    const pki = await generatePki();
    await writePki(pki, join(dir, 'pki'));
    const engines: [string, Start][] = [
      ['node', (mode, tls) => startServer({ mode, pki, tls })],
      ...(withOpenssl
        ? ([['openssl s_server', (mode, tls) => startOpensslServer({ mode, tls, pki, checkCrl: false })]] as [
            string,
            Start,
          ][])
        : []),
    ];
    const timings: ProbeTiming[] = [];
    for (const [engine, start] of engines) {
      for (const mode of MODES) {
        for (const tls of TLS_VERSIONS) {
          const server = await start(mode, tls);
          try {
            const started = performance.now();
            const run = await execa(
              'node',
              [cli, 'probe', `${server.host}:${server.port}`, '--pki', join(dir, 'pki'), '--json'],
              { reject: false },
            );
            const ms = performance.now() - started;
            const named = (JSON.parse(String(run.stdout)) as { mode: string | null }).mode;
            timings.push({ server: `${engine} ${mode} TLS ${tls}`, ms, named, right: named === mode });
          } finally {
            await server.close();
          }
        }
      }
    }
    return timings;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
