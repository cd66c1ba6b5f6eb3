/**
 * The one place that decides what an observation means for the client certificate: accepted,
 * rejected (and by whom: TLS, the application, or the client itself), or inconclusive (and
 * why). The built-in matrix, `--target` and `probe` all ask this function, so a timeout, a
 * protocol the server does not serve, or an answer nobody understood can never pass as a
 * verdict in one place and not in another. Pure.
 */
import type { ClientResult, HandshakeObservation } from '../clients/types.js';

export type Verdict = 'accepted' | 'rejected' | 'inconclusive';

/** Who turned the client away: the server in TLS, the server's application, or the client. */
export type RefusedBy = 'tls' | 'application' | 'client';

export interface Judgement {
  verdict: Verdict;
  /** Where and how, in a few words: "alert certificate_required in the handshake", "HTTP 200". */
  how: string;
  /** For a rejection: who refused. */
  by?: RefusedBy;
  /** For an inconclusive observation: why it proves nothing about the certificate. */
  why?: string;
}

export interface JudgeContext {
  /**
   * The server was seen answering this protocol in this TLS version (always so for the
   * built-in servers). Only then is a close without an answer a refusal: from a server that
   * was never seen answering, it is as likely "I do not speak this" as "not you".
   */
  answersProtocol: boolean;
}

/** Alerts that come before any certificate is exchanged, whatever the certificate. */
const NOT_ABOUT_THE_CERTIFICATE: ReadonlyMap<string, string> = new Map([
  ['protocol_version', 'the server does not speak this TLS version'],
  ['no_application_protocol', 'the server does not serve the application protocol offered (ALPN)'],
  ['unrecognized_name', 'the server does not answer for this server name (SNI)'],
  ['insufficient_security', 'the server wants ciphers the client did not offer'],
  ['inappropriate_fallback', 'the server refused a version fallback'],
]);

/** Client refusals about the server's certificate (not the TLS version, not our own key). */
const SERVER_CERT_PROBLEM =
  /CERT|ISSUER|SIGNATURE|SELF_SIGNED|HOSTNAME|ALTNAME|VERIFY|PURPOSE|INVALID_CA|PATH_LENGTH/;

export function isServerCertificateRefusal(handshake: HandshakeObservation): boolean {
  return (
    handshake.kind === 'client_error' &&
    SERVER_CERT_PROBLEM.test(handshake.code ?? '') &&
    !/^ERR_OSSL_/.test(handshake.code ?? '')
  );
}

const accepted = (how: string): Judgement => ({ verdict: 'accepted', how });
const rejected = (by: RefusedBy, how: string): Judgement => ({ verdict: 'rejected', how, by });
const inconclusive = (how: string, why: string): Judgement => ({ verdict: 'inconclusive', how, why });

const raw = (code: string | undefined, detail: string | undefined): string =>
  [code, detail].filter(Boolean).join(': ') || 'no detail';

function judgeHandshake(h: HandshakeObservation): Judgement | undefined {
  switch (h.kind) {
    case 'ok':
      return undefined;
    case 'client_error':
      return isServerCertificateRefusal(h)
        ? rejected('client', `the client refused the server's certificate (${h.code ?? '?'})`)
        : inconclusive(
            `client error ${h.code ?? ''}`.trimEnd(),
            `the client could not make the connection itself (${raw(h.code, h.detail)})`,
          );
    case 'alert': {
      const alert = h.alert ?? '?';
      const unrelated = NOT_ABOUT_THE_CERTIFICATE.get(alert);
      if (unrelated || h.serverHello === false)
        return inconclusive(
          h.serverHello === false ? `alert ${alert} before the ServerHello` : `alert ${alert}`,
          `${unrelated ?? 'the server refused the connection before any certificate was exchanged'}; this says nothing about the client certificate`,
        );
      return rejected('tls', `alert ${alert} in the handshake`);
    }
    case 'closed':
      if (h.serverHello === false)
        return inconclusive(
          'closed before the ServerHello',
          'the server closed the connection without answering the ClientHello (it does not serve this TLS version, or is not a TLS server); this says nothing about the client certificate',
        );
      return rejected('tls', 'closed during the handshake (no alert)');
    case 'timeout':
      return inconclusive('timeout in the handshake', h.detail ?? 'no completed handshake in time');
    case 'error':
      return inconclusive(`handshake error ${h.code ?? ''}`.trimEnd(), raw(h.code, h.detail));
  }
}

export function judge(
  result: Pick<ClientResult, 'protocol' | 'handshake' | 'request'>,
  context: JudgeContext,
): Judgement {
  const { handshake, request, protocol } = result;
  const early = judgeHandshake(handshake);
  if (early) return early;
  if ((protocol === 'h2' || protocol === 'grpc') && handshake.alpn !== undefined && handshake.alpn !== 'h2')
    return inconclusive(
      `no h2 (ALPN ${handshake.alpn ?? 'none'})`,
      'the server did not select HTTP/2, so it does not serve this protocol here',
    );
  const status = request.status ?? '';
  switch (request.kind) {
    case 'ok':
      return accepted(status || 'answered');
    case 'answered':
      return accepted(`${status}: the application answered`);
    case 'refused':
      return rejected('application', `refused by the application (${status || '?'})`);
    case 'alert':
      return rejected('tls', `alert ${request.alert ?? '?'} on the first read`);
    case 'closed':
      return context.answersProtocol
        ? rejected('tls', 'closed after the handshake, no answer')
        : inconclusive(
            'closed after the handshake, no answer',
            `the server was never seen answering ${protocol} here, so a close without an answer proves nothing`,
          );
    case 'timeout':
      return inconclusive('timeout waiting for the answer', request.detail ?? 'no answer in time');
    case 'skipped':
      return inconclusive('not attempted', request.detail ?? 'the request was not attempted');
    case 'error':
      return inconclusive(
        `request error ${status || request.code || ''}`.trimEnd(),
        raw(request.code, request.detail),
      );
  }
}
