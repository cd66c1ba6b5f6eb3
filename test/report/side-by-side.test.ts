/** Engines side by side: the data, and its table, Markdown, JSON and HTML forms (golden). */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/matrix/summary.js';
import { renderReport } from '../../src/report/index.js';
import { entryWords, sideBySide } from '../../src/report/side-by-side.js';
import { renderSideBySide, SIDE_BY_SIDE_WIDTH } from '../../src/report/side-by-side-table.js';
import { sideBySideSection } from '../../src/report/html/side-by-side.js';
import { enginesSample } from '../helpers/engines-sample.js';
import { parseValid } from '../helpers/json-schema.js';
import { sampleResult } from '../helpers/sample-result.js';

const plain = new Chalk({ level: 0 });
const result = enginesSample();
const views = sideBySide(result);
const rvc = views.find((view) => view.mode === 'require_and_verify_client_cert')!;

/** What the view says for one identity × engine, in words. */
function words(identity: string, engine: string, view = rvc): string {
  const row = view.rows.find((one) => one.identity === identity)!;
  const entry = row.entries[view.columns.findIndex((column) => column.key === engine)]!;
  return `${entry.pass === true ? '✓' : entry.pass === false ? '✗' : '?'} ${entryWords(entry)}`;
}

describe('engines side by side', () => {
  it('has one grid per mode, identities × engines, in the order of the run', () => {
    expect(views.map((view) => view.mode)).toEqual([
      'require_any_client_cert',
      'require_and_verify_client_cert',
    ]);
    expect(rvc.columns.map((column) => column.key)).toEqual(['node', 'openssl', 'nginx', 'caddy']);
    expect(rvc.rows.map((row) => row.identity)).toEqual(result.summary.identities);
    expect(views[0]!.rows.map((row) => row.identity)).toEqual(['none', 'valid']);
  });

  it('says how each engine refused, and where; variants only where the TLS versions differ', () => {
    expect(words('none', 'node')).toBe(
      '✓ 1.2: alert handshake_failure (in the handshake) · 1.3: alert certificate_required (on the first read)',
    );
    expect(words('untrusted-ca', 'openssl')).toBe(
      '✓ alert unknown_ca (1.2: in the handshake · 1.3: on the first read)',
    );
    expect(words('untrusted-ca', 'node')).toBe(
      '✓ closed, no alert (1.2: in the handshake · 1.3: on the first read)',
    );
    expect(words('untrusted-ca', 'nginx')).toBe('✓ HTTP 400');
    expect(words('wrong-server-trust', 'caddy')).toBe("✓ the client refused the server's certificate");
    expect(words('valid', 'caddy')).toBe('✓ accepted');
  });

  it('marks what missed its expectation, what proves nothing, and what did not run', () => {
    expect(words('revoked', 'caddy')).toBe('✗ accepted');
    expect(words('expired', 'openssl')).toBe(
      '? 1.2: alert certificate_expired (in the handshake) · 1.3: inconclusive: timeout waiting for the answer',
    );
    const requireAny = views[0]!;
    const nginx =
      requireAny.rows[0]!.entries[requireAny.columns.findIndex((column) => column.key === 'nginx')]!;
    expect(nginx).toMatchObject({
      outcomes: [],
      pass: null,
      notRun: expect.stringContaining('require-without-verify'),
    });
  });

  it('is not shown for a run of one engine', () => {
    const cells = sampleResult().cells.filter((cell) => cell.engine === undefined);
    const one = { ...sampleResult(), cells, summary: summarise(cells, 1) };
    expect(sideBySide(one)).toEqual([]);
    expect(renderSideBySide(one, plain)).toEqual([]);
    expect(sideBySideSection(one)).toBeNull();
    expect(renderReport(one, 'markdown', plain)).not.toContain('side by side');
    expect(parseValid('matrix', renderReport(one, 'json', plain)).side_by_side).toEqual([]);
  });

  it('keeps every table line within 120 columns', () => {
    const lines = renderSideBySide(result, plain);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(SIDE_BY_SIDE_WIDTH);
  });

  it('renders the table, Markdown, HTML and JSON forms (golden)', async () => {
    await expect(renderReport(result, 'table', plain)).toMatchFileSnapshot('golden/engines-table.txt');
    await expect(renderReport(result, 'markdown', plain)).toMatchFileSnapshot('golden/engines-markdown.md');
    await expect(sideBySideSection(result)!.body.markup).toMatchFileSnapshot('golden/engines-section.html');
    const json = parseValid('matrix', renderReport(result, 'json', plain));
    await expect(`${JSON.stringify(json.side_by_side, null, 2)}\n`).toMatchFileSnapshot(
      'golden/engines-side-by-side.json',
    );
    expect(json.side_by_side[1].identities[0].engines.caddy).toMatchObject({
      engine: 'caddy',
      pass: true,
      outcomes: [
        { kind: 'alert', alert: 'bad_certificate', where: 'handshake', variant: '1.2', tls: ['1.2'] },
        { kind: 'alert', alert: 'bad_certificate', where: 'first_read', variant: '1.3', tls: ['1.3'] },
      ],
    });
  });
});
