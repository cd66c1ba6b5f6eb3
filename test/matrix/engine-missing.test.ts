/** Without an openssl binary, every cell of an openssl server is skipped with the reason, none fails. */
import { describe, expect, it } from 'vitest';

// Read when the engine module loads; vitest gives each test file its own module graph.
process.env.MTLS_LAB_OPENSSL = '/nonexistent/mtls-lab-test/openssl';
const { planMatrix } = await import('../../src/matrix/plan.js');
const { runMatrix } = await import('../../src/matrix/run.js');
const { summarise } = await import('../../src/matrix/summary.js');
const { generatePki } = await import('../../src/pki/generate.js');

describe('openssl engine not installed', () => {
  it('skips every openssl cell with the reason and still runs the node ones', async () => {
    const pki = await generatePki();
    const plan = planMatrix({
      modes: [],
      servers: [
        { name: 'node', mode: 'no_client_certs' },
        { name: 'openssl', mode: 'no_client_certs', engine: 'openssl' },
      ],
      identities: pki.identities.filter((identity) => identity.name === 'valid'),
      protocols: ['tls', 'h2'],
      tls: ['1.3'],
    });
    const cells = await runMatrix({ pki, plan, concurrency: 4, timeoutMs: 5000 });
    const openssl = cells.filter((cell) => cell.engine === 'openssl');
    expect(openssl.map((cell) => cell.skipped)).toEqual([
      expect.stringMatching(/^openssl is not available: \/nonexistent\/mtls-lab-test\/openssl not installed/),
      expect.stringContaining('speaks no HTTP/2'),
    ]);
    expect(cells.filter((cell) => cell.engine === undefined).map((cell) => cell.verdict)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(summarise(cells, 1)).toMatchObject({ cells: 4, passed: 2, failed: 0, skipped: 2 });
  });
});
