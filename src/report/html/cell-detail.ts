/**
 * Everything known about one cell: what was expected and why, what was observed and how, the
 * client's handshake and request, and what the server recorded of the connection.
 */
import type { HandshakeObservation, RequestObservation } from '../../clients/types.js';
import type { RefusedBy } from '../../judge/judge.js';
import type { CellResult } from '../../matrix/types.js';
import type { ServerView } from '../../servers/types.js';
import { describeHandshake, describeRequest, describeView } from '../describe.js';
import { type HtmlValue, html, type SafeHtml } from './escape.js';
import { cellMark, markContent } from './marks.js';
import { cellId, cellTitle, serverName } from './servers.js';

type Field = [label: string, value: string | number | boolean | null | undefined];

/** The fields that are set, as a compact list; values keep their line breaks. */
function fields(list: readonly Field[]): SafeHtml | null {
  const set = list.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (set.length === 0) return null;
  return html`<dl class="f">
    ${set.map(
      ([label, value]) =>
        html`<dt>${label}</dt>
          <dd>${String(value)}</dd>`,
    )}
  </dl>`;
}

/** What the one-line words of a handshake leave out (they already say kind, version, ALPN, alert). */
const handshakeFields = (h: HandshakeObservation): SafeHtml | null =>
  fields([
    ['code', h.kind === 'ok' || h.kind === 'alert' || h.kind === 'timeout' ? h.code : undefined],
    ['ServerHello seen', h.serverHello],
    ['detail', h.kind === 'error' ? undefined : h.detail],
  ]);

/** What the one-line words of a request leave out (they already say kind, status, alert). */
const requestFields = (r: RequestObservation): SafeHtml | null =>
  fields([
    ['HTTP status', r.httpStatus],
    ['gRPC code', r.grpcCode],
    ['gRPC status from the server', r.grpcFromServer],
    ['code', r.kind === 'error' && r.status === undefined ? undefined : r.code],
    ['detail', r.kind === 'error' ? undefined : r.detail],
  ]);

/** What the one-line words of a server view leave out. */
const viewFields = (v: ServerView): SafeHtml | null =>
  fields([
    ['connection', `#${v.connection} from ${v.remoteAddress ?? '127.0.0.1'} port ${v.remotePort}`],
    ['TLS version', v.tlsVersion],
    ['ALPN', v.alpn],
    ['protocol', v.protocol],
    ['fingerprint (SHA-256)', v.fingerprint],
    ['URI', v.uri],
    ['route', v.route],
  ]);

/** What the server saw, or why nothing can be shown. */
function serverSaw(cell: CellResult, remote: boolean): HtmlValue {
  if (remote) return html`<dd>not visible (a --target server)</dd>`;
  if (cell.engine === 'openssl')
    return html`<dd>not recorded (openssl s_server keeps no per-connection view)</dd>`;
  if (cell.serverViews.length === 0) return html`<dd>no connection recorded</dd>`;
  return cell.serverViews.map((view) => html`<dd>${describeView(view)}${viewFields(view)}</dd>`);
}

const REFUSED_BY: Record<RefusedBy, string> = {
  tls: 'the server in TLS',
  application: "the server's application",
  client: 'the client',
};

/** The body of a cell's detail (without its title). */
export function cellBody(cell: CellResult, remote: boolean): SafeHtml {
  const where = [
    serverName(cell),
    cell.engine && cell.engine !== 'node' ? `engine ${cell.engine}` : '',
    cell.path && cell.path !== '/' ? `path ${cell.path}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (cell.verdict === null)
    return html`<dl class="d">
      <dt>server</dt>
      <dd>${where}</dd>
      <dt>${cell.skipped !== undefined ? 'skipped' : 'not served'}</dt>
      <dd>${cell.skipped ?? cell.notServed}</dd>
      <dt>would expect</dt>
      <dd>${cell.expected.verdict}: ${cell.expected.reason}</dd>
    </dl>`;
  return html`<dl class="d">
    <dt>server</dt>
    <dd>${where}${serverName(cell) === cell.mode ? '' : ` (${cell.mode})`}</dd>
    <dt>expected</dt>
    <dd><b>${cell.expected.verdict}</b>: ${cell.expected.reason} <i>(${cell.expected.source})</i></dd>
    <dt>observed</dt>
    <dd>
      <b>${cell.verdict}</b>:
      ${cell.how}${cell.refusedBy ? ` (refused by ${REFUSED_BY[cell.refusedBy]})` : ''}
    </dd>
    ${
      cell.why
        ? html`<dt>inconclusive because</dt>
            <dd>${cell.why}</dd>`
        : null
    }
    <dt>handshake</dt>
    <dd>${describeHandshake(cell.handshake)}${handshakeFields(cell.handshake)}</dd>
    <dt>request</dt>
    <dd>${describeRequest(cell.request)}${requestFields(cell.request)}</dd>
    <dt>server saw</dt>
    ${serverSaw(cell, remote)}
    <dt>took</dt>
    <dd>${Math.round(cell.durationMs)} ms</dd>
  </dl>`;
}

/**
 * A cell on demand: its mark and title, opened to its detail. The anchor sits inside the
 * details, so following a link to it opens the details around it (browsers reveal the target
 * of a link), with no script.
 */
export function cellDetails(cell: CellResult, remote: boolean): SafeHtml {
  const mark = cellMark(cell);
  return html`<details class="cell">
    <summary><span class="m k-${mark.kind}">${markContent(mark)}</span> ${cellTitle(cell)}</summary>
    <span class="anchor" id="${cellId(cell)}"></span>${cellBody(cell, remote)}
  </details>`;
}

/** A cell shown in full, for the unexpected and inconclusive lists. */
export function cellArticle(cell: CellResult, remote: boolean): SafeHtml {
  const mark = cellMark(cell);
  return html`<article class="cell">
    <h3>
      <span class="m k-${mark.kind}">${markContent(mark)}</span> ${cellTitle(cell)}
      <a class="to" href="#${cellId(cell)}">in its server's list</a>
    </h3>
    ${cellBody(cell, remote)}
  </article>`;
}
