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
    expect(report.summary).toMatchObject({ cells: 4, passed: 3, failed: 1 });
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
      ]),
    );
    expect(report.cells[2]).toMatchObject({
      expected: 'rejected',
      verdict: 'accepted',
      pass: false,
      tls: '1.3',
    });
  });
});
