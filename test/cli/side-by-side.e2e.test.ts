/**
 * Engines side by side in a real run (the CLI's main(), in this process): node, openssl and
 * (where installed) nginx in one mode, each identity refused in its own way, in every report
 * format.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/engines/registry.js';
import { runMain } from '../helpers/cli.js';
import { parseValid } from '../helpers/json-schema.js';

const nginx = (await unavailableReason('nginx')) === undefined;
const engines = nginx ? 'node,openssl,nginx' : 'node,openssl';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtls-lab-side-by-side-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface Entry {
  pass: boolean | null;
  outcomes: {
    kind: string;
    alert: string | null;
    where: string | null;
    status: string | null;
    tls: string[];
  }[];
}

describe(`matrix --engine ${engines}: engines side by side`, () => {
  it(
    'shows how each engine refused, in the table, JSON, Markdown and HTML reports',
    { timeout: 90_000 },
    async () => {
      const files = { table: join(dir, 'r.txt'), markdown: join(dir, 'r.md'), html: join(dir, 'r.html') };
      const run = await runMain([
        'matrix',
        '--engine',
        engines,
        '--modes',
        'require_and_verify_client_cert',
        '--identities',
        'none,valid,untrusted-ca',
        '--protocols',
        'https',
        '--format',
        'json',
        ...Object.entries(files).flatMap(([format, file]) => ['--report', `${format}=${file}`]),
      ]);
      expect(run.exitCode, run.stderr).toBe(0);
      const report = parseValid('matrix', run.stdout);
      expect(report.side_by_side).toHaveLength(1);
      const [view] = report.side_by_side;
      expect(view.engines).toEqual(engines.split(','));
      const entry = (identity: string, engine: string): Entry =>
        view.identities.find((row: { identity: string }) => row.identity === identity).engines[engine];

      // openssl sends unknown_ca: in the handshake under TLS 1.2, on the first read under TLS 1.3.
      expect(entry('untrusted-ca', 'openssl')).toMatchObject({
        pass: true,
        outcomes: [
          { kind: 'alert', alert: 'unknown_ca', where: 'handshake', tls: ['1.2'] },
          { kind: 'alert', alert: 'unknown_ca', where: 'first_read', tls: ['1.3'] },
        ],
      });
      // Node closes the connection without an alert.
      expect(entry('untrusted-ca', 'node').outcomes.map((outcome) => outcome.kind)).toEqual([
        'close',
        'close',
      ]);
      expect(entry('valid', 'node')).toMatchObject({ pass: true, outcomes: [{ kind: 'accepted' }] });

      const table = await readFile(files.table, 'utf8');
      expect(table).toContain('Engines side by side');
      expect(table).toMatch(
        /^untrusted-ca +✓ close \(1\.2 hs, 1\.3 read\) +✓ unknown_ca \(1\.2 hs, 1\.3 read\)/m,
      );
      const view_ = table.slice(table.indexOf('Engines side by side'), table.indexOf('\nObservations'));
      for (const line of view_.split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
      const markdown = await readFile(files.markdown, 'utf8');
      expect(markdown).toContain('### Engines side by side');
      expect(markdown).toContain('✅ alert unknown_ca (1.2: in the handshake · 1.3: on the first read)');
      const html = await readFile(files.html, 'utf8');
      expect(html).toContain('<section id="side-by-side">');
      expect(html).toContain('alert unknown_ca (1.2: in the handshake · 1.3: on the first read)');

      if (nginx) {
        // nginx completes the handshake and answers 400, whatever the certificate's fault.
        for (const identity of ['none', 'untrusted-ca'])
          expect(entry(identity, 'nginx')).toMatchObject({
            pass: true,
            outcomes: [{ kind: 'http', status: 'HTTP 400', where: null, tls: ['1.2', '1.3'] }],
          });
        expect(table).toMatch(/^untrusted-ca .*✓ HTTP 400$/m);
        expect(markdown).toMatch(/\| untrusted-ca \|.*\| ✅ HTTP 400 \|$/m);
      }
    },
  );
});
