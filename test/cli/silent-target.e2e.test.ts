/**
 * Targets that never answer, or accept and close at once: the run is never green, says the
 * target did not answer, and `probe` says it cannot tell. Each command is bounded by
 * --timeout, so none of this can hang; a short one will do, as no answer ever comes. The verdicts come from main() in this process; Ctrl-C
 * goes to the built binary, as the signal is the point there.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const sockets = new Set<Socket>();
function listener(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

let silent: Server;
let closing: Server;
beforeAll(async () => {
  silent = await listener(() => {});
  closing = await listener((socket) => socket.destroy());
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([silent, closing].map((s) => new Promise((resolve) => s?.close(resolve))));
});

describe.each([
  { name: 'never answers', server: () => silent },
  { name: 'accepts and closes', server: () => closing },
])('a listener that $name', ({ server }) => {
  it('makes matrix --target exit 1 saying the target did not answer, even with --expect-mode', async () => {
    const target = `127.0.0.1:${portOf(server())}`;
    // One identity, protocol and version: discovery finds the silence before any cell runs.
    const run = await runMain([
      'matrix',
      '--target',
      target,
      '--expect-mode',
      'require_and_verify_client_cert',
      '--identities',
      'none',
      '--protocols',
      'tls',
      '--tls',
      '1.3',
      '--timeout',
      '0.5',
      '--format',
      'json',
    ]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/did not answer/);
    const report = parseValid('matrix', run.stdout);
    expect(report.summary).toMatchObject({ passed: 0, failed: 0, accepted: 0, rejected: 0 });
    expect(report.problems.join(' ')).toMatch(/did not answer/);
  });

  it('makes probe say it cannot tell (exit 1)', async () => {
    const run = await runMain(['probe', `127.0.0.1:${portOf(server())}`, '--timeout', '0.5', '--json']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(parseValid('probe', run.stdout)).toMatchObject({
      mode: null,
      class: null,
      confidence: 'cannot tell',
      forgives: null,
    });
  });
});

describe('Ctrl-C while the target keeps the run waiting', () => {
  it('stops the run at once with exit 130, whatever stage it is in', async () => {
    const connected = once(silent, 'connection');
    // A 60 s cell limit: without the interrupt this run could not end on its own in time.
    const child = execa(
      'node',
      ['bin/mtls-lab.js', 'matrix', '--target', `127.0.0.1:${portOf(silent)}`, '--timeout', '60'],
      { reject: false, env: { NO_COLOR: '1' }, timeout: 50_000 },
    );
    await connected;
    child.kill('SIGINT');
    const run = await child;
    expect(run.timedOut).toBe(false);
    expect(run.exitCode, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted/);
  });
});
