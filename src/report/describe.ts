/** "1 cell", "2 cells". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** Short human descriptions of observations, shared by every report format. */
import type { HandshakeObservation, RequestObservation } from '../clients/types.js';
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
      return `closed${h.code ? ` (${h.code})` : ''}`;
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
    case 'error':
      return `error ${r.status ?? r.code ?? ''} ${r.detail ?? ''}`.trim();
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
