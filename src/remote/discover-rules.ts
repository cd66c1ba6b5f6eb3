/**
 * The rules of discovery, pure: from the reference attempts, which TLS versions and which
 * protocols the target serves, each with the evidence in words.
 */
import type { ClientResult } from '../clients/types.js';
import { describeHandshake, describeRequest } from '../report/describe.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import type { Discovered, ProtocolStatus, VersionStatus } from './discover.js';

/** The client's words for a server that refused the pinned version. */
const VERSION_CODES = new Set([
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
]);

const seen = (result: ClientResult): string =>
  result.handshake.kind === 'ok'
    ? `handshake ok, then ${describeRequest(result.request)}`
    : // An alert names itself; OpenSSL's text after it only repeats it.
      `${describeHandshake(result.handshake)}${result.handshake.detail && result.handshake.kind !== 'alert' ? ` (${result.handshake.detail})` : ''}`;

export function versionStatusOf(
  results: ReadonlyMap<TlsVersion, ClientResult>,
): Map<TlsVersion, Discovered<VersionStatus>> {
  const statuses = new Map<TlsVersion, Discovered<VersionStatus>>();
  const pending: TlsVersion[] = [];
  for (const [tls, result] of results) {
    const h = result.handshake;
    if (h.kind === 'ok' || h.serverHello === true)
      statuses.set(tls, { status: 'served', evidence: `the server answered a TLS ${tls} ClientHello` });
    else if (h.alert === 'protocol_version' || VERSION_CODES.has(h.code ?? ''))
      statuses.set(tls, { status: 'not-served', evidence: `TLS ${tls} refused: ${seen(result)}` });
    else pending.push(tls);
  }
  const answered = [...statuses].filter(([, s]) => s.status === 'served').map(([tls]) => `TLS ${tls}`);
  for (const tls of pending) {
    const result = results.get(tls)!;
    const silent = result.handshake.kind === 'timeout';
    statuses.set(
      tls,
      answered.length > 0 && !silent
        ? {
            status: 'not-served',
            evidence: `no ServerHello in TLS ${tls} (${seen(result)}), while ${answered.join(' and ')} was answered`,
          }
        : { status: 'no-answer', evidence: `no answer to a TLS ${tls} ClientHello: ${seen(result)}` },
    );
  }
  return statuses;
}

interface Answer extends Discovered<ProtocolStatus> {
  /** The answer let the identity through (not a refusal by status). */
  accepted: boolean;
}

/** An answer from the server's application (any HTTP status, a gRPC status, data). */
function answerOf(protocol: Protocol, result: ClientResult): Answer | undefined {
  const { handshake: h, request: r } = result;
  if (h.kind !== 'ok') return undefined;
  const accepted = r.kind === 'ok' || r.kind === 'answered';
  if (protocol === 'grpc') {
    if (r.grpcFromServer === true)
      return { status: 'served', evidence: `answered gRPC (${r.status ?? '?'})`, accepted };
    if (r.grpcFromServer === false && r.kind !== 'refused')
      return {
        status: 'not-served',
        evidence: `answers HTTP/2 but not gRPC: ${r.detail ?? r.status ?? '?'}`,
        accepted: false,
      };
    return undefined;
  }
  if (accepted || r.kind === 'refused' || r.httpStatus !== undefined)
    return { status: 'served', evidence: `answered ${r.status ?? 'with data'}`, accepted };
  return undefined;
}

function refusedProtocol(protocol: Protocol, result: ClientResult): Discovered<ProtocolStatus> | undefined {
  const { handshake: h } = result;
  const alpn = protocol === 'https' ? 'http/1.1' : 'h2';
  if (h.alert === 'no_application_protocol')
    return { status: 'not-served', evidence: `refuses ALPN ${alpn}: alert no_application_protocol` };
  if ((protocol === 'h2' || protocol === 'grpc') && h.kind === 'ok' && h.alpn !== 'h2')
    return { status: 'not-served', evidence: `does not select ALPN h2 (it chose ${h.alpn ?? 'none'})` };
  return undefined;
}

export function protocolStatusOf(
  results: ReadonlyMap<Protocol, ClientResult>,
  identity: string,
): Map<Protocol, Discovered<ProtocolStatus>> {
  const statuses = new Map<Protocol, Discovered<ProtocolStatus>>();
  const answers = new Map<Protocol, Answer>();
  const undecided: Protocol[] = [];
  for (const [protocol, result] of results) {
    const refused = refusedProtocol(protocol, result);
    const answer = refused ? undefined : answerOf(protocol, result);
    if (answer) answers.set(protocol, answer);
    const status = refused ?? answer;
    if (status)
      statuses.set(protocol, {
        status: status.status,
        evidence: `${identity} over ${protocol}: ${status.evidence}`,
      });
    else undecided.push(protocol);
  }
  const acceptedOver = [...answers].filter(([, a]) => a.accepted && a.status === 'served').map(([p]) => p);
  // Let through over one protocol and refused over another, in the same version: the refusal
  // is the protocol's (Node's HTTP/2 server answers 403 to anything without ALPN h2).
  for (const [protocol, answer] of answers) {
    if (answer.accepted || answer.status !== 'served' || acceptedOver.length === 0) continue;
    statuses.set(protocol, {
      status: 'not-served',
      evidence: `${identity} over ${protocol}: ${answer.evidence}, while over ${acceptedOver.join(' and ')} it was let through: the refusal is about the protocol, not the certificate`,
    });
  }
  const answeredOver = [...answers].filter(([, a]) => a.status === 'served').map(([p]) => p);
  for (const protocol of undecided) {
    const result = results.get(protocol)!;
    const got = `${identity} over ${protocol}: ${seen(result)}`;
    // The same identity got an answer over another protocol, so silence here is the protocol's.
    statuses.set(
      protocol,
      answeredOver.length > 0 && result.handshake.kind === 'ok'
        ? {
            status: 'not-served',
            evidence: `${got}, while over ${answeredOver.join(' and ')} it got an answer`,
          }
        : { status: 'unconfirmed', evidence: `${got}; no identity tried got an answer over it` },
    );
  }
  return statuses;
}
