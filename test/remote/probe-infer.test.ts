/** probe's reasoning and the readers it relies on: pure functions on captured observations. */
import { describe, expect, it } from 'vitest';
import type { ClientResult } from '../../src/clients/types.js';
import { classifyGrpcRequest } from '../../src/clients/classify-grpc.js';
import { classifyHttpStatus } from '../../src/clients/http-status.js';
import type { CertificateRequestCheck } from '../../src/remote/certificate-request.js';
import { parseSClientOutput } from '../../src/remote/certificate-request.js';
import { inferProbe, judgeAttempt, type ProbeAttempt } from '../../src/remote/probe-infer.js';
import { TRAITS } from '../helpers/traits.js';

type Outcome = 'accepted' | 'rejected' | 'inconclusive';
const SENT: CertificateRequestCheck = {
  available: true,
  sent: true,
  caNames: ['CN = Client CA'],
  command: 'openssl',
};
const NOT_SENT: CertificateRequestCheck = { available: true, sent: false, caNames: [], command: 'openssl' };
const UNAVAILABLE: CertificateRequestCheck = {
  available: false,
  reason: 'openssl is not installed',
  command: 'openssl',
};

/** Every identity's attempts over tls and https in TLS 1.3, all with the same outcome unless overridden. */
function evidence(
  outcomes: Record<string, Outcome>,
  certificateRequest: CertificateRequestCheck,
  overrides: Partial<ProbeAttempt>[] = [],
) {
  const names = Object.keys(outcomes);
  const attempts: ProbeAttempt[] = names.flatMap((identity) =>
    (['tls', 'https'] as const).map((protocol) => {
      const verdict = outcomes[identity]!;
      const base: ProbeAttempt = {
        identity,
        protocol,
        tls: '1.3',
        verdict,
        how: verdict === 'accepted' ? 'HTTP 200' : 'alert certificate_required on the first read',
        byApplication: false,
      };
      const override = overrides.find((o) => o.identity === identity && o.protocol === protocol);
      return { ...base, ...override };
    }),
  );
  return { identities: names.map((name) => ({ name, traits: TRAITS[name]! })), attempts, certificateRequest };
}

/**
 * The certificates probe always presents, each failing verification in its own way (untrusted
 * issuer twice, expired, not yet valid, wrong EKU), all with one outcome: together they tell a
 * strict behaviour from one that forgives some of those failures.
 */
const failing = (outcome: Outcome) =>
  ({
    'self-signed': outcome,
    'untrusted-ca': outcome,
    expired: outcome,
    'not-yet-valid': outcome,
    'wrong-eku': outcome,
  }) as const;
const strict = (mode: string) => ({ mode, forgives: [] });

describe('inferProbe', () => {
  it('names no_client_certs when everything is accepted and no CertificateRequest is sent', () => {
    const result = inferProbe(evidence({ none: 'accepted', ...failing('accepted') }, NOT_SENT));
    expect(result).toMatchObject({
      behaviour: strict('no_client_certs'),
      class: 'not-requested',
      confidence: 'certain',
    });
    expect(result.evidence).toContain(
      'The server sends no CertificateRequest: it never asks for a client certificate.',
    );
  });

  it('without the CertificateRequest check, cannot tell no_client_certs from request_client_cert', () => {
    const result = inferProbe(evidence({ none: 'accepted', ...failing('accepted') }, UNAVAILABLE));
    // The two fit alike and differ in class: neither a mode nor a class can be named.
    expect(result).toMatchObject({ behaviour: null, class: null, confidence: 'cannot tell' });
    expect(result.notes.join(' ')).toMatch(/needs the CertificateRequest check: openssl is not installed/);
    expect(result.evidence.at(-1)).toMatch(/fit no_client_certs; request_client_cert equally/);
  });

  it('names verify_client_cert_if_given without a trusted identity, as likely, and says what is missing', () => {
    const result = inferProbe(evidence({ none: 'accepted', ...failing('rejected') }, UNAVAILABLE));
    expect(result).toMatchObject({
      behaviour: strict('verify_client_cert_if_given'),
      class: 'optional',
      confidence: 'likely',
    });
    expect(result.notes.join(' ')).toMatch(/No trusted identity was probed/);
  });

  it('is certain of require_and_verify_client_cert once a valid certificate is accepted', () => {
    const outcomes = { none: 'rejected', ...failing('rejected'), valid: 'accepted' } as const;
    expect(inferProbe(evidence(outcomes, SENT))).toMatchObject({
      behaviour: strict('require_and_verify_client_cert'),
      class: 'required',
      confidence: 'certain',
    });
    const untrusted = inferProbe(evidence({ ...outcomes, valid: 'rejected' }, SENT));
    expect(untrusted).toMatchObject({
      behaviour: strict('require_and_verify_client_cert'),
      confidence: 'likely',
    });
    expect(untrusted.notes.join(' ')).toMatch(/does not seem to trust the PKI's client CA/);
  });

  it('is only likely when a forgiven failure was never presented', () => {
    // No expired certificate presented: a server forgiving expired ones fits as well.
    const { expired: _, ...withoutExpired } = failing('rejected');
    const result = inferProbe(evidence({ none: 'rejected', ...withoutExpired, valid: 'accepted' }, SENT));
    expect(result).toMatchObject({
      behaviour: strict('require_and_verify_client_cert'),
      confidence: 'likely',
    });
    expect(result.notes.join(' ')).toMatch(/require_and_verify_client_cert forgiving expired/);
  });

  it('names what a verifying server forgives (nginx optional_no_ca: an untrusted issuer)', () => {
    const result = inferProbe(
      evidence(
        { none: 'accepted', ...failing('rejected'), 'untrusted-ca': 'accepted', valid: 'accepted' },
        SENT,
      ),
    );
    expect(result).toMatchObject({
      behaviour: { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] },
      class: 'optional',
      confidence: 'certain',
    });
  });

  it('names require_any_client_cert: no certificate refused, any certificate accepted', () => {
    const result = inferProbe(evidence({ none: 'rejected', ...failing('accepted') }, UNAVAILABLE));
    expect(result).toMatchObject({
      behaviour: strict('require_any_client_cert'),
      class: 'required',
      confidence: 'certain',
    });
  });

  it('counts a refusal by the HTTP application (nginx 496) while raw TLS gets through', () => {
    const outcomes = { none: 'accepted', ...failing('accepted'), valid: 'accepted' } as const;
    const refusedOverHttps = ['none', ...Object.keys(failing('rejected'))].map((identity) => ({
      identity,
      protocol: 'https' as const,
      verdict: 'rejected' as const,
      how: 'refused by the application (HTTP 496)',
      byApplication: true,
    }));
    const result = inferProbe(evidence(outcomes, SENT, refusedOverHttps));
    expect(result).toMatchObject({
      behaviour: strict('require_and_verify_client_cert'),
      confidence: 'certain',
    });
    expect(result.notes.join(' ')).toMatch(/came from the HTTP application/);
  });

  it('lowers its confidence when attempts disagree', () => {
    const disagree = [
      { identity: 'self-signed', protocol: 'tls' as const, verdict: 'accepted' as const, how: 'echo' },
    ];
    const result = inferProbe(
      evidence({ none: 'rejected', ...failing('rejected'), valid: 'accepted' }, SENT, disagree),
    );
    expect(result).toMatchObject({
      behaviour: strict('require_and_verify_client_cert'),
      confidence: 'likely',
    });
    expect(result.notes.join(' ')).toMatch(/accepted in some attempts and refused in others/);
  });

  it('cannot tell anything from attempts that all timed out', () => {
    const result = inferProbe(evidence({ none: 'inconclusive', ...failing('inconclusive') }, UNAVAILABLE));
    expect(result).toMatchObject({ behaviour: null, class: null, confidence: 'cannot tell' });
    expect(result.evidence[0]).toMatch(/^no certificate: could not tell/);
    expect(result.evidence.at(-1)).toBe('There is nothing to fit: no observation was conclusive.');
  });
});

const ok = { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: 'http/1.1', serverHello: true } as const;
const result = (
  protocol: ClientResult['protocol'],
  handshake: ClientResult['handshake'],
  request: ClientResult['request'],
) => ({ protocol, handshake, request });
const SERVED = { answersProtocol: true };
const UNCONFIRMED = { answersProtocol: false };

describe('judging a probe attempt', () => {
  it('treats nginx-style statuses as refusals by the application and any other answer as getting through', () => {
    const refused = result('https', ok, classifyHttpStatus(496));
    expect(judgeAttempt(refused, SERVED)).toEqual({
      verdict: 'rejected',
      how: 'refused by the application (HTTP 496)',
      byApplication: true,
    });
    // Over raw TLS too: its HTTP request gets nginx's status line.
    expect(judgeAttempt(result('tls', ok, classifyHttpStatus(400)), SERVED)).toMatchObject({
      verdict: 'rejected',
      byApplication: true,
    });
    expect(judgeAttempt(result('https', ok, classifyHttpStatus(404)), SERVED)).toEqual({
      verdict: 'accepted',
      how: 'HTTP 404: the application answered',
      byApplication: false,
    });
    const unimplemented = classifyGrpcRequest({ code: 12, details: 'unknown service' }, undefined, 1);
    expect(judgeAttempt(result('grpc', { ...ok, alpn: 'h2' }, unimplemented), SERVED).verdict).toBe(
      'accepted',
    );
    expect(judgeAttempt(result('tls', ok, { kind: 'ok', status: 'echo' }), SERVED)).toMatchObject({
      verdict: 'accepted',
      how: 'echo',
    });
  });

  it('says why an attempt is inconclusive, in its how', () => {
    expect(judgeAttempt(result('https', ok, classifyHttpStatus(503)), SERVED)).toEqual({
      verdict: 'inconclusive',
      how: 'request error HTTP 503: HTTP 503: a server error says nothing about the certificate',
      byApplication: false,
    });
  });

  it('judges handshake failures, timeouts and client errors', () => {
    const skipped = { kind: 'skipped' } as const;
    const handshake = (h: ClientResult['handshake']) => judgeAttempt(result('tls', h, skipped), SERVED);
    expect(handshake({ kind: 'alert', alert: 'certificate_required', serverHello: true }).verdict).toBe(
      'rejected',
    );
    expect(handshake({ kind: 'closed', serverHello: true }).verdict).toBe('rejected');
    // Before the ServerHello nothing was said about the client certificate.
    expect(handshake({ kind: 'closed', serverHello: false }).verdict).toBe('inconclusive');
    expect(handshake({ kind: 'timeout' }).verdict).toBe('inconclusive');
    // The client refusing the server's certificate is a rejection, but by the client itself.
    expect(handshake({ kind: 'client_error', code: 'CERT_HAS_EXPIRED' })).toMatchObject({
      verdict: 'rejected',
      byApplication: false,
    });
    expect(
      judgeAttempt(result('tls', ok, { kind: 'alert', alert: 'certificate_required' }), SERVED).how,
    ).toBe('alert certificate_required on the first read');
    expect(judgeAttempt(result('tls', ok, { kind: 'timeout' }), SERVED).verdict).toBe('inconclusive');
  });

  it('takes a close without an answer for a refusal only where the server was seen answering', () => {
    const closed = result('https', ok, { kind: 'closed' });
    expect(judgeAttempt(closed, SERVED)).toMatchObject({ verdict: 'rejected', byApplication: false });
    expect(judgeAttempt(closed, UNCONFIRMED)).toMatchObject({
      verdict: 'inconclusive',
      how: expect.stringMatching(/never seen answering https here/),
    });
    const unavailable = result('grpc', { ...ok, alpn: 'h2' }, { kind: 'closed', status: 'gRPC UNAVAILABLE' });
    expect(judgeAttempt(unavailable, SERVED).verdict).toBe('rejected');
    expect(judgeAttempt(unavailable, UNCONFIRMED).verdict).toBe('inconclusive');
  });
});

describe('parseSClientOutput (openssl s_client -state, as captured from OpenSSL 3.0)', () => {
  const withList = [
    'Server certificate',
    'subject=CN = localhost, O = mtls-lab',
    '---',
    'Acceptable client certificate CA names',
    'CN = mtls-lab Root CA, O = mtls-lab',
    'CN = Other CA',
    'Requested Signature Algorithms: ECDSA+SHA256:ECDSA+SHA384',
    'Peer signing digest: SHA256',
  ].join('\n');
  const stateWithRequest =
    'SSL_connect:SSLv3/TLS read server hello\nSSL_connect:SSLv3/TLS read server certificate request\n';

  it('lists the acceptable CA names', () => {
    expect(parseSClientOutput(withList, stateWithRequest)).toEqual({
      sent: true,
      caNames: ['CN = mtls-lab Root CA, O = mtls-lab', 'CN = Other CA'],
    });
  });

  it('knows a CertificateRequest with an empty CA list from none at all', () => {
    const empty =
      'subject=CN = localhost\n---\nNo client certificate CA names sent\nPeer signing digest: SHA256\n';
    expect(parseSClientOutput(empty, stateWithRequest)).toEqual({ sent: true, caNames: [] });
    const none = 'SSL_connect:SSLv3/TLS read server certificate\nSSL_connect:SSLv3/TLS read server done\n';
    expect(parseSClientOutput(empty, none)).toEqual({ sent: false, caNames: [] });
  });

  it('says nothing when the handshake never got that far', () => {
    expect(parseSClientOutput('', 'connect:errno=111\n')).toBeUndefined();
  });
});
