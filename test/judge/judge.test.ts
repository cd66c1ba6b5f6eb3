/**
 * The judge's rules, one case per line: what an observation means for the client certificate
 * (accepted, rejected and by whom, or inconclusive and why). Observations are the shapes the
 * classifiers produce; HTTP and gRPC answers come from the classifiers themselves.
 */
import { status as Grpc } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { classifyGrpcRequest } from '../../src/clients/classify-grpc.js';
import { classifyHttpStatus } from '../../src/clients/http-status.js';
import type { ClientResult, HandshakeObservation, RequestObservation } from '../../src/clients/types.js';
import { isServerCertificateRefusal, type Judgement, judge } from '../../src/judge/judge.js';

type Observed = Pick<ClientResult, 'protocol' | 'handshake' | 'request'>;

const OK: HandshakeObservation = { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: 'http/1.1', serverHello: true };
const H2: HandshakeObservation = { ...OK, alpn: 'h2' };
const SKIPPED: RequestObservation = { kind: 'skipped' };

/** A handshake that did not complete (the request is then skipped). */
const handshake = (h: HandshakeObservation): Observed => ({
  protocol: 'tls',
  handshake: h,
  request: SKIPPED,
});
/** A request after a completed handshake. */
const https = (request: RequestObservation): Observed => ({ protocol: 'https', handshake: OK, request });
const grpc = (request: RequestObservation, h: HandshakeObservation = H2): Observed => ({
  protocol: 'grpc',
  handshake: h,
  request,
});
const grpcAnswer = (code: number, details = 'from the application') =>
  grpc(classifyGrpcRequest({ code, details }, undefined, 1000));

const accepted = (how: string): Judgement => ({ verdict: 'accepted', how });
const rejected = (by: Judgement['by'], how: string): Judgement => ({ verdict: 'rejected', by, how });
const inconclusive = (how: string): Judgement => ({ verdict: 'inconclusive', how, why: expect.any(String) });

const SERVED = { answersProtocol: true };
const NEVER_SEEN = { answersProtocol: false };

describe('judge', () => {
  // prettier-ignore
  it.each<[string, Observed, { answersProtocol: boolean }, Judgement]>([
    // Alerts in the handshake: after the ServerHello a refusal, before it nothing about the certificate.
    ['alert after the ServerHello', handshake({ kind: 'alert', alert: 'certificate_required', serverHello: true }), SERVED, rejected('tls', 'alert certificate_required in the handshake')],
    ['alert where the ServerHello is not visible', handshake({ kind: 'alert', alert: 'bad_certificate' }), SERVED, rejected('tls', 'alert bad_certificate in the handshake')],
    ['alert before the ServerHello', handshake({ kind: 'alert', alert: 'handshake_failure', serverHello: false }), SERVED, inconclusive('alert handshake_failure before the ServerHello')],
    ['protocol_version', handshake({ kind: 'alert', alert: 'protocol_version', serverHello: false }), SERVED, inconclusive('alert protocol_version before the ServerHello')],
    ['no_application_protocol', handshake({ kind: 'alert', alert: 'no_application_protocol', serverHello: false }), SERVED, inconclusive('alert no_application_protocol before the ServerHello')],
    ['unrecognized_name', handshake({ kind: 'alert', alert: 'unrecognized_name', serverHello: false }), SERVED, inconclusive('alert unrecognized_name before the ServerHello')],
    ['insufficient_security', handshake({ kind: 'alert', alert: 'insufficient_security', serverHello: false }), SERVED, inconclusive('alert insufficient_security before the ServerHello')],
    // Closes in the handshake.
    ['close before the ServerHello', handshake({ kind: 'closed', code: 'ECONNRESET', serverHello: false }), SERVED, inconclusive('closed before the ServerHello')],
    ['close after the ServerHello', handshake({ kind: 'closed', code: 'ECONNRESET', serverHello: true }), SERVED, rejected('tls', 'closed during the handshake (no alert)')],
    ['close where the ServerHello is not visible', handshake({ kind: 'closed' }), NEVER_SEEN, rejected('tls', 'closed during the handshake (no alert)')],
    ['timeout in the handshake', handshake({ kind: 'timeout', detail: 'no completed handshake within 5000 ms' }), SERVED, inconclusive('timeout in the handshake')],
    ['unclassified handshake error', handshake({ kind: 'error', code: 'ECONNREFUSED' }), SERVED, inconclusive('handshake error ECONNREFUSED')],
    // The client's own errors: refusing the server's certificate is a rejection by the client.
    ['client refuses an untrusted server certificate', handshake({ kind: 'client_error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), SERVED, rejected('client', "the client refused the server's certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)")],
    ['client refuses the server name', handshake({ kind: 'client_error', code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), SERVED, rejected('client', "the client refused the server's certificate (ERR_TLS_CERT_ALTNAME_INVALID)")],
    ["client's own key does not match", handshake({ kind: 'client_error', code: 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' }), SERVED, inconclusive('client error ERR_OSSL_X509_KEY_VALUES_MISMATCH')],
    ['client refuses the TLS version', handshake({ kind: 'client_error', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' }), SERVED, inconclusive('client error ERR_SSL_UNSUPPORTED_PROTOCOL')],
    // Answers after a completed handshake.
    ['HTTP 200', https(classifyHttpStatus(200)), SERVED, accepted('HTTP 200')],
    ['the echo line', { protocol: 'tls', handshake: { ...OK, alpn: null }, request: { kind: 'ok', status: 'echo' } }, SERVED, accepted('echo')],
    ['HTTP 404 (answered)', https(classifyHttpStatus(404)), SERVED, accepted('HTTP 404: the application answered')],
    ['HTTP 400 (nginx)', https(classifyHttpStatus(400)), SERVED, rejected('application', 'refused by the application (HTTP 400)')],
    ['HTTP 401', https(classifyHttpStatus(401)), SERVED, rejected('application', 'refused by the application (HTTP 401)')],
    ['HTTP 403', https(classifyHttpStatus(403)), SERVED, rejected('application', 'refused by the application (HTTP 403)')],
    ['HTTP 421 (Go, Caddy)', https(classifyHttpStatus(421)), SERVED, rejected('application', 'refused by the application (HTTP 421)')],
    ['HTTP 495 (nginx)', https(classifyHttpStatus(495)), SERVED, rejected('application', 'refused by the application (HTTP 495)')],
    ['HTTP 496 (nginx)', https(classifyHttpStatus(496)), SERVED, rejected('application', 'refused by the application (HTTP 496)')],
    ['an HTTP status line over raw TLS', { protocol: 'tls', handshake: { ...OK, alpn: null }, request: classifyHttpStatus(496) }, SERVED, rejected('application', 'refused by the application (HTTP 496)')],
    ['HTTP 500', https(classifyHttpStatus(500)), SERVED, inconclusive('request error HTTP 500')],
    ['HTTP 503', https(classifyHttpStatus(503)), SERVED, inconclusive('request error HTTP 503')],
    ['gRPC UNAUTHENTICATED', grpcAnswer(Grpc.UNAUTHENTICATED), SERVED, rejected('application', 'refused by the application (gRPC UNAUTHENTICATED)')],
    ['gRPC UNIMPLEMENTED (answered)', grpcAnswer(Grpc.UNIMPLEMENTED), SERVED, accepted('gRPC UNIMPLEMENTED: the application answered')],
    ['alert on the first read (TLS 1.3)', https({ kind: 'alert', alert: 'certificate_required' }), SERVED, rejected('tls', 'alert certificate_required on the first read')],
    ['close without an answer from a server seen answering', https({ kind: 'closed', code: 'ECONNRESET' }), SERVED, rejected('tls', 'closed after the handshake, no answer')],
    ['close without an answer from a server never seen answering', https({ kind: 'closed', code: 'ECONNRESET' }), NEVER_SEEN, inconclusive('closed after the handshake, no answer')],
    ['timeout waiting for the answer', https({ kind: 'timeout', detail: 'no answer within 5000 ms' }), SERVED, inconclusive('timeout waiting for the answer')],
    ['unclassified request error', https({ kind: 'error', code: 'ERR_HTTP2_ERROR', detail: 'boom' }), SERVED, inconclusive('request error ERR_HTTP2_ERROR')],
    ['request not attempted', https(SKIPPED), SERVED, inconclusive('not attempted')],
    // HTTP/2 and gRPC need ALPN h2: without it the server does not serve them there.
    ['h2 without ALPN h2', { protocol: 'h2', handshake: OK, request: classifyHttpStatus(200) }, SERVED, inconclusive('no h2 (ALPN http/1.1)')],
    ['grpc without ALPN at all', grpc({ kind: 'closed' }, { ...OK, alpn: null }), SERVED, inconclusive('no h2 (ALPN none)')],
    ['grpc with ALPN h2', grpc(classifyGrpcRequest({ code: Grpc.OK, details: 'OK', servingStatus: 1 }, undefined, 1000)), SERVED, accepted('gRPC OK (SERVING)')],
  ])('%s', (_case, observed, context, expected) => {
    const judgement = judge(observed, context);
    expect(judgement).toEqual(expected);
    if (judgement.verdict === 'inconclusive') expect(judgement.why).not.toBe('');
  });

  it('says why a close without an answer proves nothing from a server never seen answering', () => {
    expect(judge(https({ kind: 'closed' }), NEVER_SEEN).why).toMatch(/never seen answering https here/);
  });

  it('keeps the raw facts of an error as the reason it proves nothing', () => {
    const error = judge(https({ kind: 'error', code: 'EPROTO', detail: 'write EPROTO' }), SERVED);
    expect(error.why).toBe('EPROTO: write EPROTO');
    expect(judge(https(classifyHttpStatus(502)), SERVED).why).toMatch(
      /a server error says nothing about the certificate/,
    );
  });

  it('tells the client refusing the server from the client failing on its own', () => {
    expect(isServerCertificateRefusal({ kind: 'client_error', code: 'CERT_HAS_EXPIRED' })).toBe(true);
    expect(isServerCertificateRefusal({ kind: 'client_error', code: 'ERR_OSSL_PEM_NO_START_LINE' })).toBe(
      false,
    );
    expect(isServerCertificateRefusal({ kind: 'alert', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' })).toBe(false);
  });
});
