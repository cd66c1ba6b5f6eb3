/** Every report format. Renderers only read a MatrixResult and return text. */
import type { ChalkInstance } from 'chalk';
import type { MatrixResult } from '../matrix/types.js';
import { type HtmlReportContext, renderHtml } from './html/index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { renderVerbose } from './verbose.js';
import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';
export type { HtmlReportContext } from './html/index.js';

export function renderReport(
  result: MatrixResult,
  format: Format,
  c: ChalkInstance,
  verbose = false,
  context: HtmlReportContext = {},
): string {
  switch (format) {
    case 'table':
      return verbose ? renderVerbose(result, c) : renderTable(result, c);
    case 'json':
      return renderJson(result);
    case 'junit':
      return renderJunit(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'html':
      return renderHtml(result, context);
  }
}
