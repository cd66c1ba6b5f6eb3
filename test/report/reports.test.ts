import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { FORMATS, renderReport } from '../../src/report/index.js';
import { sampleResult } from '../helpers/sample-result.js';

const plain = new Chalk({ level: 0 });

describe('reports against golden output', () => {
  for (const format of FORMATS) {
    it(`renders ${format}`, async () => {
      const extension =
        format === 'json' ? 'json' : format === 'junit' ? 'xml' : format === 'markdown' ? 'md' : 'txt';
      await expect(renderReport(sampleResult(), format, plain)).toMatchFileSnapshot(
        `golden/${format}.${extension}`,
      );
    });
  }

  it('renders the verbose table', async () => {
    await expect(renderReport(sampleResult(), 'table', plain, true)).toMatchFileSnapshot(
      'golden/verbose.txt',
    );
  });

  it('colours only when asked, and the symbols carry the meaning without colour', () => {
    const coloured = renderReport(sampleResult(), 'table', new Chalk({ level: 1 }));
    expect(coloured).toContain('\u001b[');
    const text = renderReport(sampleResult(), 'table', plain);
    expect(text).not.toContain('\u001b[');
    expect(text).toMatch(/✗ 1\/1 unexpected/);
  });

  it('keeps the JSON contract', () => {
    const report = JSON.parse(renderReport(sampleResult(), 'json', plain));
    expect(report.summary).toMatchObject({ cells: 6, passed: 4, failed: 1, skipped: 1 });
    expect(Object.keys(report.cells[0])).toEqual(
      expect.arrayContaining([
        'mode',
        'server',
        'identity',
        'protocol',
        'tls',
        'expected',
        'verdict',
        'pass',
        'handshake',
        'request',
        'server_view',
        'skipped',
        'engine',
      ]),
    );
    expect(report.cells[0]).toMatchObject({ skipped: null, engine: 'node' });
    expect(report.cells[5]).toMatchObject({ skipped: expect.stringContaining('HTTP/2'), engine: 'openssl' });
    expect(report.cells[2]).toMatchObject({
      expected: 'rejected',
      verdict: 'accepted',
      pass: false,
      tls: '1.3',
    });
  });

  it('shows skipped cells apart: neither passed nor failed, with their reason', () => {
    const result = sampleResult();
    const table = renderReport(result, 'table', plain);
    expect(table).toMatch(/^valid +✓ accepted +– skipped$/m);
    expect(table).toContain('require_verify (openssl)');
    expect(table).toContain('1 cell: openssl s_server speaks no HTTP/2');
    expect(table).toContain('1 of 5 cells unexpected');
    expect(table).toContain('1 skipped');
    const junit = renderReport(result, 'junit', plain);
    expect(junit).toContain('<skipped message="openssl s_server speaks no HTTP/2 (so no gRPC either)"/>');
    expect(junit).toMatch(/<testsuites [^>]*skipped="1"/);
    expect(renderReport(result, 'markdown', plain)).toContain('| – skipped |');
  });
});
