/**
 * `--format html` / `--report html=FILE`: one self-contained page for a CI artifact. It fetches
 * nothing (no scripts, fonts or images), needs no JavaScript (details open on demand with
 * <details>), and escapes everything that came from outside. Pure: a MatrixResult in, text out.
 */
import type { MatrixResult } from '../../matrix/types.js';
import { html, type SafeHtml, trusted } from './escape.js';
import { overviewGrid, serverSections } from './grids.js';
import { header, type HtmlReportContext, reportTitle } from './header.js';
import {
  inconclusiveSection,
  legend,
  notRunSection,
  observationsSection,
  problemsSection,
  renderSection,
  type Section,
  unexpectedSection,
} from './sections.js';
import { type ServerGroup, serverGroups } from './servers.js';
import { sideBySideSection } from './side-by-side.js';
import { STYLE } from './style.js';

export type { HtmlReportContext } from './header.js';

/**
 * The sections, in reading order: what went wrong first, then the overview, then each server.
 * A new view of the run (e.g. engines side by side) is one more entry here.
 */
function sections(result: MatrixResult, servers: readonly ServerGroup[]): Section[] {
  const all: (Section | null)[] = [
    problemsSection(result),
    unexpectedSection(result),
    inconclusiveSection(result),
    {
      id: 'overview',
      title: 'Overview',
      body: html`${overviewGrid(result, servers)}${legend(result, servers)}`,
    },
    sideBySideSection(result),
    observationsSection(result),
    {
      id: 'servers',
      title: `Servers (${servers.length})`,
      body: html`<p>
          Each grid cell is one cell of the matrix; follow it for its handshake, request and what the server
          saw.
        </p>
        ${serverSections(result, servers)}`,
    },
    notRunSection(result),
  ];
  return all.filter((section): section is Section => section !== null);
}

function contents(list: readonly Section[]): SafeHtml {
  return html`<nav aria-label="Contents">
    <ul>
      ${list.map((section) => html`<li><a href="#${section.id}">${section.title}</a></li>`)}
    </ul>
  </nav>`;
}

export function renderHtml(result: MatrixResult, context: HtmlReportContext = {}): string {
  const servers = serverGroups(result);
  const list = sections(result, servers);
  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <title>${reportTitle(result)}</title>
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        ${header(result, servers, context)} ${contents(list)}
        <main>${list.map(renderSection)}</main>
        <footer>
          Made by mtls-lab${context.toolVersion ? ` ${context.toolVersion}` : ''}. This page loads nothing and
          runs no script.
        </footer>
      </body>
    </html> `;
  return page.markup;
}
