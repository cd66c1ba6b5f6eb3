/**
 * `npm run bench`: the default matrix end to end (process start and PKI generation
 * included), compared with a bare in-process mutual-TLS handshake loop of the same
 * number of handshakes, measured in the same run on the same machine.
 */
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { generatePki } from '../pki/generate.js';
import { findIdentity } from '../pki/types.js';
import { opensslAvailable } from '../engines/openssl.js';
import { timeAllEngines } from './engines-bench.js';
import { timeProbes } from './probe-bench.js';
import { benchStartup } from './startup-bench.js';

const cli = fileURLToPath(new URL('../../bin/mtls-lab.js', import.meta.url));

interface Timing {
  ms: number;
  cells: number;
}

async function timeMatrix(): Promise<Timing> {
  const started = performance.now();
  const run = await execa('node', [cli, 'matrix', '--format', 'json'], { reject: false });
  const ms = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`matrix exited ${run.exitCode}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { summary: { cells: number } };
  return { ms, cells: report.summary.cells };
}

/** `count` complete mutual-TLS handshakes (TLS 1.3, ECDSA P-256), `parallel` at a time. */
async function timeBareHandshakes(count: number, parallel: number): Promise<number> {
  const pki = await generatePki();
  const valid = findIdentity(pki, 'valid')!;
  const server = tls.createServer({
    key: pki.server.key,
    cert: pki.server.chain,
    ca: pki.clientCa,
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('secureConnection', (socket) => socket.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  // One shared client context: the fastest a Node client can be, so the baseline is strict.
  const secureContext = tls.createSecureContext({ ca: pki.serverCa, cert: valid.chain, key: valid.key });
  const handshake = () =>
    new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, secureContext });
      socket.once('data', () => socket.end());
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        await handshake();
      }
    }),
  );
  const ms = performance.now() - started;
  server.close();
  return ms;
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const matrix: Timing[] = [];
for (let i = 0; i < runs; i++) matrix.push(await timeMatrix());
const cells = matrix[0]!.cells;
const best = Math.min(...matrix.map((m) => m.ms));
const bareSerial = await timeBareHandshakes(cells, 1);
const bareParallel = await timeBareHandshakes(cells, 16);
const bare = Math.min(bareSerial, bareParallel);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`machine: ${availableParallelism()} cores, node ${process.version}`);
console.log(
  `default matrix: ${cells} cells; wall time ${matrix.map((m) => fmt(m.ms)).join(', ')} (best ${fmt(best)})`,
);
console.log(`cells per second: ${((cells / best) * 1000).toFixed(0)}`);
console.log(
  `bare mutual-TLS handshake loop, ${cells} handshakes: ${fmt(bareSerial)} one at a time, ${fmt(bareParallel)} 16 at a time`,
);
console.log(`ratio matrix / fastest bare loop: ${(best / bare).toFixed(2)}× (target: within 3×)`);

const probes = await timeProbes(cli, (await opensslAvailable()).ok);
const slowest = probes.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`probe, ${probes.length} servers (built binary, process start included):`);
for (const p of probes)
  console.log(`  ${p.server}: ${fmt(p.ms)}${p.right ? '' : ` — WRONG: named ${p.named ?? 'nothing'}`}`);
console.log(`slowest probe: ${fmt(slowest.ms)} (${slowest.server}; target: under 5 s)`);
if (probes.some((p) => !p.right)) process.exitCode = 1;
const engines = await timeAllEngines(cli);
console.log(
  `every engine × every mode it expresses × default identities over https: ${fmt(engines.ms)} ` +
    `(${engines.judged} cells judged, ${engines.skipped} skipped or not served; exit ${engines.exitCode}; target: under 30 s)`,
);
if (engines.missing.length > 0) console.log(`  not installed here: ${engines.missing.join(', ')}`);
if (engines.exitCode !== 0) process.exitCode = 1;
await benchStartup(cli);
