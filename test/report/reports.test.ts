import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/judge/judge.js';
import { summarise } from '../../src/matrix/summary.js';
import type { CellResult, MatrixResult } from '../../src/matrix/types.js';
import { isRun } from '../../src/matrix/verdict.js';
import { FORMATS, renderReport } from '../../src/report/index.js';
import { SAMPLE_CELLS, sampleResult } from '../helpers/sample-result.js';
import { parseValid } from '../helpers/json-schema.js';

const plain = new Chalk({ level: 0 });

/** The sample run with only these cells, summarised as a run of them would be. */
function withCells(cells: CellResult[]): MatrixResult {
  return { ...sampleResult(), cells, summary: summarise(cells, 1234), observations: [] };
}

describe('reports against golden output', () => {
  for (const format of FORMATS) {
    it(`renders ${format}`, async () => {
      const extension =
        format === 'json'
          ? 'json'
          : format === 'junit'
            ? 'xml'
            : format === 'markdown'
              ? 'md'
              : format === 'html'
                ? 'html'
                : 'txt';
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
    const report = parseValid('matrix', renderReport(sampleResult(), 'json', plain));
    expect(report.summary).toMatchObject({
      cells: 8,
      passed: 4,
      failed: 1,
      inconclusive: 1,
      skipped: 1,
      not_served: 1,
    });
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.cells[0])).toEqual(
      expect.arrayContaining([
        'mode',
        'server',
        'identity',
        'protocol',
        'tls',
        'expected',
        'verdict',
        'how',
        'refused_by',
        'inconclusive_why',
        'pass',
        'handshake',
        'request',
        'server_view',
        'skipped',
        'not_served',
        'engine',
      ]),
    );
    expect(Object.keys(report.cells[0].handshake)).toContain('server_hello');
    expect(Object.keys(report.cells[0].request)).toEqual(
      expect.arrayContaining(['http_status', 'grpc_code']),
    );
    expect(report.cells[0]).toMatchObject({ skipped: null, not_served: null, engine: 'node', how: 'echo' });
    expect(report.cells[5]).toMatchObject({
      skipped: expect.stringContaining('HTTP/2'),
      engine: 'openssl',
      verdict: null,
      pass: null,
    });
    expect(report.cells[2]).toMatchObject({
      expected: 'rejected',
      verdict: 'accepted',
      pass: false,
      tls: '1.3',
      request: { grpc_code: 0 },
    });
    expect(report.cells[3]).toMatchObject({ verdict: 'rejected', refused_by: 'client', pass: true });
    expect(report.cells[6]).toMatchObject({
      verdict: 'inconclusive',
      pass: null,
      inconclusive_why: expect.stringContaining('server error'),
      request: { http_status: 503, grpc_code: null },
    });
    expect(report.cells[7]).toMatchObject({
      verdict: null,
      pass: null,
      not_served: expect.stringContaining('does not serve grpc'),
    });
  });

  it('shows cells not run apart: neither passed nor failed, with their reason', () => {
    const result = sampleResult();
    const table = renderReport(result, 'table', plain);
    expect(table).toMatch(/^valid +\? 1\/2 inconclusive +– skipped$/m);
    expect(table).toContain('require_verify (openssl)');
    expect(table).toContain('Cells not run (2):');
    expect(table).toContain('1 cell: skipped: openssl s_server speaks no HTTP/2');
    expect(table).toContain('1 cell: not served: the server does not serve grpc in TLS 1.2');
    expect(table).toContain('1 of 5 judged cells did not meet their expectation');
    expect(table).toContain('1 skipped, 1 not served');
    const junit = renderReport(result, 'junit', plain);
    expect(junit).toContain('<skipped>openssl s_server speaks no HTTP/2 (so no gRPC either)</skipped>');
    expect(junit).toContain('<skipped>not served: the server does not serve grpc in TLS 1.2');
    const suiteSkips = [...junit.matchAll(/<testsuite [^>]*skipped="(\d+)"/g)].map(([, n]) => Number(n));
    expect(suiteSkips.reduce((a, b) => a + b, 0)).toBe(2);
    const markdown = renderReport(result, 'markdown', plain);
    expect(markdown).toContain('| – skipped |');
    expect(markdown).toContain('### Cells not run');
  });

  it('shows inconclusive cells as neither passed nor failed, with why', () => {
    const result = sampleResult();
    const table = renderReport(result, 'table', plain);
    expect(table).toContain('? inconclusive (proves nothing)');
    expect(table).toMatch(
      /Inconclusive cells \(1\):\n {2}\? require_and_verify_client_cert × valid × https × TLS 1\.2/,
    );
    expect(table).toContain(
      'inconclusive because HTTP 503: a server error says nothing about the certificate',
    );
    expect(table).toContain('1 cell was inconclusive');
    const markdown = renderReport(result, 'markdown', plain);
    expect(markdown).toContain('| ❔ 1/2 inconclusive |');
    expect(markdown).toContain('### Unexpected and inconclusive cells');
    const junit = renderReport(result, 'junit', plain);
    expect(junit).toMatch(/<testsuites [^>]*errors="1"/);
    expect(junit).toContain('<error type="inconclusive" message="inconclusive: request error HTTP 503');
  });

  it('is green only when something was judged and all of it as expected, with no run problem', () => {
    const judgedOnly = withCells(SAMPLE_CELLS.filter((cell) => cell.pass === true));
    expect(renderReport(judgedOnly, 'table', plain)).toMatch(/^all 4 cells as expected \(/m);
    expect(renderReport(judgedOnly, 'markdown', plain)).toContain('**✅ all 4 cells as expected**');
    const withProblem = { ...judgedOnly, problems: ['The target did not answer in TLS 1.2.'] };
    expect(renderReport(withProblem, 'table', plain)).toMatch(/^The target did not answer in TLS 1\.2 \(/m);
    expect(renderReport(withProblem, 'markdown', plain)).toContain(
      '**❌ The target did not answer in TLS 1.2**',
    );
    expect(parseValid('matrix', renderReport(withProblem, 'json', plain)).problems).toEqual([
      'The target did not answer in TLS 1.2.',
    ]);
    const nothingRun = withCells(SAMPLE_CELLS.filter((cell) => !isRun(cell)));
    expect(renderReport(nothingRun, 'table', plain)).toMatch(/^nothing was judged: no cell was judged \(/m);
    const onlyInconclusive = withCells(SAMPLE_CELLS.filter((cell) => cell.verdict === 'inconclusive'));
    expect(renderReport(onlyInconclusive, 'table', plain)).toContain(
      '1 cell was inconclusive; nothing was judged: every cell was inconclusive',
    );
  });

  it('holds, in every run sample cell, what the judge makes of its observations', () => {
    for (const cell of SAMPLE_CELLS.filter(isRun)) {
      const judgement = judge(cell, { answersProtocol: true });
      expect({ verdict: cell.verdict, how: cell.how, by: cell.refusedBy, why: cell.why }).toEqual({
        verdict: judgement.verdict,
        how: judgement.how,
        by: judgement.by,
        why: judgement.why,
      });
    }
  });
});
