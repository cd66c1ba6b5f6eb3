/** "1 cell", "2 cells". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** Short human descriptions of observations, shared by every report format. */
import type { HandshakeObservation, RequestObservation } from '../clients/types.js';
import type { CellResult } from '../matrix/types.js';
import { isRun } from '../matrix/verdict.js';
import type { ServerView } from '../servers/types.js';

export function describeHandshake(h: HandshakeObservation): string {
  switch (h.kind) {
    case 'ok':
      return `ok${h.tlsVersion ? ` ${h.tlsVersion}` : ''}${h.alpn ? ` alpn=${h.alpn}` : ''}`;
    case 'alert':
      return `alert ${h.alert ?? '?'}`;
    case 'client_error':
      return `client error ${h.code ?? ''}`.trimEnd();
    case 'closed':
      return `closed${h.code ? ` (${h.code})` : ''}${h.serverHello === false ? ' before the ServerHello' : ''}`;
    case 'timeout':
      return 'timeout';
    case 'error':
      return `error ${h.code ?? ''} ${h.detail ?? ''}`.trim();
  }
}

export function describeRequest(r: RequestObservation): string {
  switch (r.kind) {
    case 'ok':
      return `ok ${r.status ?? ''}`.trimEnd();
    case 'answered':
      return `answered ${r.status ?? ''}`.trimEnd();
    case 'refused':
      return `refused ${r.status ?? ''}`.trimEnd();
    case 'alert':
      return `alert ${r.alert ?? '?'} on first read`;
    case 'closed':
      return `closed${r.code ? ` (${r.code})` : ''}`;
    case 'timeout':
      return 'timeout';
    case 'skipped':
      return 'skipped';
    case 'error': {
      const label = r.status ?? r.code ?? '';
      // A detail that starts with the status already says it.
      return `error ${r.detail?.startsWith(label) ? '' : label} ${r.detail ?? ''}`.replace(/ +/g, ' ').trim();
    }
  }
}

const STAGE_WORDS: Record<NonNullable<ServerView['stage']>, string> = {
  handshake: 'in the handshake',
  'after-handshake': 'after the handshake',
  request: 'at the request',
};

export function describeView(v: ServerView): string {
  const cert = v.presented ? `cert ${v.subject ?? '?'}` : 'no cert';
  const verified =
    v.verified === null ? '' : v.verified ? ', verified' : `, not verified (${v.verifyError ?? '?'})`;
  const where = v.stage ? ` ${STAGE_WORDS[v.stage]}` : '';
  return `${cert}${verified}; ${v.decision}${where}: ${v.reason}`;
}

export type GridMarkKind = 'empty' | 'unrun' | 'failed' | 'inconclusive' | 'accepted' | 'rejected' | 'mixed';

/**
 * What one grid cell (several protocols and TLS versions) says, shared by the table and
 * Markdown grids: an unexpected verdict outranks an inconclusive one, which outranks a pass.
 */
export function gridMark(all: readonly CellResult[]): { kind: GridMarkKind; text: string } {
  if (all.length === 0) return { kind: 'empty', text: '·' };
  const run = all.filter(isRun);
  if (run.length === 0)
    return {
      kind: 'unrun',
      text: all.every((cell) => cell.notServed !== undefined) ? 'not served' : 'skipped',
    };
  const failed = run.filter((cell) => cell.pass === false).length;
  if (failed > 0) return { kind: 'failed', text: `${failed}/${run.length} unexpected` };
  const inconclusive = run.filter((cell) => cell.verdict === 'inconclusive').length;
  if (inconclusive > 0) return { kind: 'inconclusive', text: `${inconclusive}/${run.length} inconclusive` };
  const accepted = run.filter((cell) => cell.verdict === 'accepted').length;
  if (accepted === run.length) return { kind: 'accepted', text: 'accepted' };
  if (accepted === 0) return { kind: 'rejected', text: 'rejected' };
  return { kind: 'mixed', text: `${accepted}/${run.length} accepted` };
}

/** The verdict of one cell in words: "accepted", "inconclusive", "not served", "skipped". */
export function verdictWords(cell: CellResult): string {
  if (cell.verdict !== null) return cell.verdict;
  return cell.notServed !== undefined ? 'not served' : 'skipped';
}
