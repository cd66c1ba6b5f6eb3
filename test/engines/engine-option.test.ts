/** `--engine` takes a list or `all`; several engines make separate servers; nothing judged is not green. */
import { describe, expect, it } from 'vitest';
import { parseMatrixOptions } from '../../src/commands/matrix.js';
import { ENGINES } from '../../src/engines/registry.js';
import { planMatrix } from '../../src/matrix/plan.js';
import { TRAITS } from '../helpers/traits.js';
import { runMain } from '../helpers/cli.js';

const raw = { keyType: 'ecdsa-p256', concurrency: '8', timeout: '5', crl: true, format: 'table' };
const identities = [{ name: 'valid', traits: TRAITS.valid! }] as never;

describe('--engine', () => {
  it.each([
    ['node', ['node']],
    ['openssl,node', ['node', 'openssl']],
    ['all', ENGINES],
    ['ALL', ENGINES],
  ])('%s → %j', (value, engines) => {
    expect(parseMatrixOptions(undefined, { ...raw, engine: value }).engines).toEqual(engines);
  });

  it('refuses an unknown engine, naming the known ones', () => {
    expect(() => parseMatrixOptions(undefined, { ...raw, engine: 'node,iis' })).toThrow(
      /--engine: unknown value "iis"; allowed: node, openssl/,
    );
  });

  it("plans each engine's servers apart, named after the engine", () => {
    const plan = planMatrix({
      modes: ['request_client_cert'],
      identities,
      protocols: ['https'],
      tls: ['1.3'],
      engines: ['node', 'openssl'],
    });
    expect(plan.servers.map((server) => [server.name, server.engine ?? 'node'])).toEqual([
      ['node:request_client_cert@tls1.3', 'node'],
      ['openssl:request_client_cert@tls1.3', 'openssl'],
    ]);
    expect(plan.cells.map((cell) => cell.server)).toEqual(plan.servers.map((server) => server.name));
  });

  it('a run in which every cell is skipped is not green', { timeout: 60_000 }, async () => {
    const run = await runMain([
      'matrix',
      '--engine',
      'openssl',
      '--protocols',
      'h2',
      '--identities',
      'valid',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/nothing was judged: every cell was skipped/);
  });
});
