/**
 * The HTML report as text: what it holds, and that nothing from outside (identity names,
 * subjects, errors, the target, the scenario's name) can become markup. The browser test
 * (test/cli/html-report.e2e.test.ts) loads real runs in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { escapeText } from '../../src/report/html/escape.js';
import { renderHtml } from '../../src/report/html/index.js';
import { hostileResult } from '../helpers/hostile-result.js';
import { sampleResult } from '../helpers/sample-result.js';

/** Every tag the report itself writes; anything else in the output came from the data. */
const OWN_TAGS = new Set(
  'html head meta title style body header h1 h2 h3 p b i span dl dt dd time nav ul li a main section article details summary div table thead tbody tr th td small wbr footer'.split(
    ' ',
  ),
);
/** Every attribute the report itself writes. Its values are quoted and escaped, so this scan is exact. */
const OWN_ATTRIBUTES = new Set(
  'lang charset name content http-equiv id class href title aria-hidden aria-label role scope colspan rowspan datetime'.split(
    ' ',
  ),
);

/** The tags of a page, each with its attribute names. */
function tagsOf(page: string): { tag: string; attributes: string[] }[] {
  return [...page.matchAll(/<\/?([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?\s*>/g)].map((m) => ({
    tag: (m[1] as string).toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/([\w-]+)(?:="[^"]*")?/g)].map((a) => a[1] as string),
  }));
}

/** Tags and attributes that the report does not write itself: they could only come from the data. */
function foreignMarkup(page: string): string[] {
  const tags = tagsOf(page);
  // Every '<' in the page starts one of the report's own tags (or the doctype): none is left over.
  const opened = (page.match(/</g) ?? []).length - 1;
  return [
    ...(opened === tags.length ? [] : [`${opened - tags.length} '<' outside a well-formed tag`]),
    ...tags.filter(({ tag }) => !OWN_TAGS.has(tag)).map(({ tag }) => `<${tag}>`),
    ...tags.flatMap(({ tag, attributes }) =>
      attributes.filter((name) => !OWN_ATTRIBUTES.has(name)).map((name) => `<${tag} ${name}>`),
    ),
  ];
}

describe('HTML report', () => {
  it('holds the verdict, the unexpected and inconclusive cells, the grids and the cells not run', () => {
    const page = renderHtml(sampleResult(), {
      toolVersion: '9.9.9',
      generatedAt: new Date('2030-01-02T03:04:05.678Z'),
    });
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('mtls-lab 9.9.9');
    expect(page).toContain('<time datetime="2030-01-02T03:04:05.678Z">2030-01-02 03:04:05 UTC</time>');
    expect(page).toMatch(/class="verdict red"[^]*1 of 5 judged cells did not meet their expectation/);
    expect(page).toContain('Unexpected cells (1)');
    expect(page).toContain('Inconclusive cells (1)');
    expect(page).toContain('HTTP 503: a server error says nothing about the certificate');
    expect(page).toContain('Cells not run (2)');
    expect(page).toContain('1 cell: skipped: openssl s_server speaks no HTTP/2');
    // Every cell has its detail anchor, and the grids link to each one.
    for (const cell of sampleResult().cells) {
      expect(page).toContain(`id="cell-${cell.index}"`);
      expect(page).toContain(`href="#cell-${cell.index}"`);
    }
    // The same symbols as the table report, and words beside them.
    expect(page).toMatch(/>✗<\/span\s*><span class="sr">unexpected:<\/span> accepted/);
    expect(page).toMatch(/>\?<\/span\s*><span class="sr">proves nothing:<\/span> inconclusive/);
    expect(page).toMatch(/>–<\/span\s*><span class="sr">not run:<\/span> skipped/);
  });

  it('loads nothing and runs nothing: no script, no external reference, a CSP that forbids both', () => {
    const page = renderHtml(sampleResult());
    expect(foreignMarkup(page)).toEqual([]);
    expect(page).not.toMatch(/href="(?!#)/);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('has a markup check that finds what it looks for', () => {
    const page = '<!DOCTYPE html><p title="a" onclick="b"><img src=x onerror=y> 1 < 2</p>';
    expect(foreignMarkup(page)).toEqual(["2 '<' outside a well-formed tag", '<p onclick>']);
    expect(foreignMarkup('<!DOCTYPE html><p class="a"><script>x</script></p>')).toEqual([
      '<script>',
      '<script>',
    ]);
  });

  it('escapes every hostile name, subject, error, target and scenario name', () => {
    // As a --target run, and as a run of built-in servers (whose views are shown).
    const pages = [hostileResult(), { ...hostileResult(), target: null }].map((result) =>
      renderHtml(result, { toolVersion: '1.0.0' }),
    );
    // No tag or attribute but the report's own: every hostile one stayed text.
    for (const one of pages) expect(foreignMarkup(one)).toEqual([]);
    const page = pages.join('\n');
    expect(page).not.toMatch(/\bhref="(?!#)/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('CN=&lt;b&gt;bold&lt;/b&gt;, O=&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(page).toContain('evil.example:443&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;');
    // Control characters and bidirectional overrides are shown, not obeyed.
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(page).toContain('bell\\u0007esc\\u001b[31mnul\\u0000del\\u007f rlo\\u202eevil');
    // A line break in an error stays a line break, inside its element.
    expect(page).toContain('&quot;&gt;&lt;svg onload=alert(5)&gt;\nsecond line');
  });

  it('escapes text for both element content and quoted attributes', () => {
    expect(escapeText(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeText('tab\tnew\nline')).toBe('tab\tnew\nline');
  });
});
