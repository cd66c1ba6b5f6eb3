/** Every report format. Renderers only read a MatrixResult and return text. */
import type { ChalkInstance } from 'chalk';
import type { MatrixResult } from '../matrix/types.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { renderVerbose } from './verbose.js';
import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

export function renderReport(
  result: MatrixResult,
  format: Format,
  c: ChalkInstance,
  verbose = false,
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
  }
}
