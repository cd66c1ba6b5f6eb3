/**
 * The grids: an overview (identities × servers, each grid cell summing up the server's
 * protocols and TLS versions, as the table report does), and one grid per server (identities ×
 * protocol × TLS version) whose cells open their detail on demand.
 */
import type { MatrixResult } from '../../matrix/types.js';
import { plural } from '../describe.js';
import { cellDetails } from './cell-detail.js';
import { breakable, html, type SafeHtml } from './escape.js';
import { cellMark, cellStory, groupMark, markCell } from './marks.js';
import type { ServerGroup } from './servers.js';

/** A server's column head: its name, and its mode and engine when the name does not say them. */
function serverHead(server: ServerGroup): SafeHtml {
  const more = [
    server.name === server.mode ? '' : server.mode,
    server.engine === 'node' ? '' : server.engine,
  ].filter(Boolean);
  return html`<a href="#${server.id}">${breakable(server.name)}</a
    >${more.length > 0 ? html`<small>${breakable(more.join(', '))}</small>` : null}`;
}

export function overviewGrid(result: MatrixResult, servers: readonly ServerGroup[]): SafeHtml {
  const { identities } = result.summary;
  const rows = identities.map((identity) => {
    const cells = servers.map((server) => {
      const here = server.cells.filter((cell) => cell.identity === identity);
      const mark = groupMark(here);
      const title = `${identity} against ${server.name}: ${mark.text} (${plural(here.length, 'cell')})`;
      return markCell(mark, `#${server.id}`, title);
    });
    return html`<tr>
      <th scope="row">${identity}</th>
      ${cells}
    </tr>`;
  });
  return html`<p class="about">
      Every identity against every server; each grid cell sums up the server's protocols and TLS versions.
    </p>
    <div class="scroll">
      <table class="grid overview">
        <thead>
          <tr>
            <th scope="col">identity</th>
            ${servers.map((server) => html`<th scope="col">${serverHead(server)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
}

/** One server: identities × protocol × TLS version, each grid cell a link to its detail below. */
function serverGrid(result: MatrixResult, server: ServerGroup): SafeHtml {
  const protocols = [...new Set(server.columns.map((column) => column.protocol))];
  const identities = result.summary.identities.filter((identity) =>
    server.cells.some((cell) => cell.identity === identity),
  );
  const head = html`<tr>
      <th scope="col" rowspan="2">identity</th>
      ${protocols.map((protocol) => {
        const span = server.columns.filter((column) => column.protocol === protocol).length;
        return html`<th scope="colgroup" colspan="${span}">${protocol}</th>`;
      })}
    </tr>
    <tr>
      ${server.columns.map((column) => html`<th scope="col">TLS ${column.tls}</th>`)}
    </tr>`;
  const rows = identities.map((identity) => {
    const cells = server.columns.map((column) => {
      const cell = server.cells.find(
        (one) => one.identity === identity && one.protocol === column.protocol && one.tls === column.tls,
      );
      if (!cell) return markCell({ kind: 'empty', text: '·' }, '', '');
      return markCell(
        cellMark(cell),
        `#cell-${cell.index}`,
        `${identity} × ${column.protocol} × TLS ${column.tls}: ${cellStory(cell)}`,
      );
    });
    return html`<tr>
      <th scope="row">${identity}</th>
      ${cells}
    </tr>`;
  });
  return html`<div class="scroll">
    <table class="grid per-server">
      <thead>
        ${head}
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

/** A section per server: what it is, its grid, and every one of its cells on demand. */
export function serverSections(result: MatrixResult, servers: readonly ServerGroup[]): SafeHtml {
  const remote = result.target !== null;
  return html`${servers.map((server) => {
    const about = [
      `mode ${server.mode}`,
      `engine ${server.engine}`,
      server.path ? `path ${server.path}` : '',
      remote && result.target ? `target ${result.target}` : '',
    ].filter(Boolean);
    return html`<section id="${server.id}" class="server">
      <h3>${server.name}</h3>
      <p class="about">${about.join(' · ')} · ${plural(server.cells.length, 'cell')}</p>
      ${serverGrid(result, server)}
      <details class="all">
        <summary>
          Every cell of ${server.name}, with handshake, request and server view (${server.cells.length})
        </summary>
        ${server.cells.map((cell) => cellDetails(cell, remote))}
      </details>
    </section>`;
  })}`;
}
