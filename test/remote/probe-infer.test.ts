/** probe's reasoning and the readers it relies on: pure functions on captured observations. */
import { describe, expect, it } from 'vitest';
import type { ClientResult } from '../../src/clients/types.js';
import { interpretTargetRequest, targetVerdict } from '../../src/remote/answer.js';
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

describe('inferProbe', () => {
  it('names no_client_certs when everything is accepted and no CertificateRequest is sent', () => {
    const result = inferProbe(
      evidence({ none: 'accepted', 'self-signed': 'accepted', 'untrusted-ca': 'accepted' }, NOT_SENT),
    );
    expect(result).toMatchObject({ mode: 'no_client_certs', class: 'not-requested', confidence: 'certain' });
    expect(result.evidence).toContain(
      'The server sends no CertificateRequest: it never asks for a client certificate.',
    );
  });

  it('cannot tell not-requested from optional without the CertificateRequest check', () => {
    const result = inferProbe(
      evidence({ none: 'accepted', 'self-signed': 'accepted', 'untrusted-ca': 'accepted' }, UNAVAILABLE),
    );
    expect(result).toMatchObject({ mode: null, class: null, confidence: 'cannot tell' });
    expect(result.notes.join(' ')).toMatch(/needs the CertificateRequest check: openssl is not installed/);
  });

  it('names verify_client_cert_if_given without a trusted identity, as likely, and says what is missing', () => {
    const result = inferProbe(
      evidence({ none: 'accepted', 'self-signed': 'rejected', 'untrusted-ca': 'rejected' }, UNAVAILABLE),
    );
    expect(result).toMatchObject({
      mode: 'verify_client_cert_if_given',
      class: 'optional',
      confidence: 'likely',
    });
    expect(result.notes.join(' ')).toMatch(/No trusted identity was probed/);
  });

  it('is certain of require_and_verify_client_cert once a valid certificate is accepted', () => {
    const outcomes = {
      none: 'rejected',
      'self-signed': 'rejected',
      'untrusted-ca': 'rejected',
      valid: 'accepted',
    } as const;
    expect(inferProbe(evidence(outcomes, SENT))).toMatchObject({
      mode: 'require_and_verify_client_cert',
      class: 'required',
      confidence: 'certain',
    });
    const untrusted = inferProbe(evidence({ ...outcomes, valid: 'rejected' }, SENT));
    expect(untrusted).toMatchObject({ mode: 'require_and_verify_client_cert', confidence: 'likely' });
    expect(untrusted.notes.join(' ')).toMatch(/does not seem to trust the PKI's client CA/);
  });

  it('names require_any_client_cert: no certificate refused, any certificate accepted', () => {
    const result = inferProbe(
      evidence({ none: 'rejected', 'self-signed': 'accepted', 'untrusted-ca': 'accepted' }, UNAVAILABLE),
    );
    expect(result).toMatchObject({
      mode: 'require_any_client_cert',
      class: 'required',
      confidence: 'certain',
    });
  });

  it('counts a refusal by the HTTP application (nginx 496) while raw TLS gets through', () => {
    const outcomes = {
      none: 'accepted',
      'self-signed': 'accepted',
      'untrusted-ca': 'accepted',
      valid: 'accepted',
    } as const;
    const refusedOverHttps = ['none', 'self-signed', 'untrusted-ca'].map((identity) => ({
      identity,
      protocol: 'https' as const,
      verdict: 'rejected' as const,
      how: 'refused by the application (HTTP 496)',
      byApplication: true,
    }));
    const result = inferProbe(evidence(outcomes, SENT, refusedOverHttps));
    expect(result).toMatchObject({ mode: 'require_and_verify_client_cert', confidence: 'certain' });
    expect(result.notes.join(' ')).toMatch(/came from the HTTP application/);
  });

  it('lowers its confidence when attempts disagree', () => {
    const disagree = [
      { identity: 'self-signed', protocol: 'tls' as const, verdict: 'accepted' as const, how: 'echo' },
    ];
    const result = inferProbe(
      evidence(
        { none: 'rejected', 'self-signed': 'rejected', 'untrusted-ca': 'rejected', valid: 'accepted' },
        SENT,
        disagree,
      ),
    );
    expect(result).toMatchObject({ mode: 'require_and_verify_client_cert', confidence: 'likely' });
    expect(result.notes.join(' ')).toMatch(/accepted in some attempts and refused in others/);
  });

  it('cannot tell anything from attempts that all timed out', () => {
    const result = inferProbe(
      evidence(
        { none: 'inconclusive', 'self-signed': 'inconclusive', 'untrusted-ca': 'inconclusive' },
        UNAVAILABLE,
      ),
    );
    expect(result).toMatchObject({ mode: null, class: null, confidence: 'cannot tell' });
    expect(result.evidence[0]).toMatch(/^no certificate: could not tell/);
  });
});

const ok = { kind: 'ok', tlsVersion: 'TLSv1.3', alpn: 'http/1.1' } as const;
const result = (
  protocol: ClientResult['protocol'],
  handshake: ClientResult['handshake'],
  request: ClientResult['request'],
) => ({ protocol, handshake, request });

describe('reading a target answer', () => {
  it('treats nginx-style statuses as refusals and any other answer as getting through', () => {
    const refused = result('https', ok, { kind: 'error', status: 'HTTP 496', detail: 'unexpected HTTP 496' });
    expect(interpretTargetRequest(refused)).toMatchObject({ kind: 'refused', status: 'HTTP 496' });
    expect(judgeAttempt(refused)).toEqual({
      verdict: 'rejected',
      how: 'refused by the application (HTTP 496)',
      byApplication: true,
    });
    const notFound = result('https', ok, {
      kind: 'error',
      status: 'HTTP 404',
      detail: 'unexpected HTTP 404',
    });
    expect(targetVerdict(notFound)).toBe('accepted');
    expect(judgeAttempt(notFound)).toMatchObject({ verdict: 'accepted', how: 'HTTP 404' });
    expect(targetVerdict(result('grpc', ok, { kind: 'error', status: 'gRPC UNIMPLEMENTED' }))).toBe(
      'accepted',
    );
    expect(targetVerdict(result('grpc', ok, { kind: 'closed', status: 'gRPC UNAVAILABLE' }))).toBe(
      'rejected',
    );
    const rawData = result('tls', ok, {
      kind: 'error',
      detail: 'connection closed after a partial answer: \u0000\u0000',
    });
    expect(targetVerdict(rawData)).toBe('accepted');
  });

  it('judges handshake failures, timeouts and client errors', () => {
    const skipped = { kind: 'skipped' } as const;
    expect(
      judgeAttempt(result('tls', { kind: 'alert', alert: 'certificate_required' }, skipped)).verdict,
    ).toBe('rejected');
    expect(judgeAttempt(result('tls', { kind: 'closed' }, skipped)).verdict).toBe('rejected');
    expect(judgeAttempt(result('tls', { kind: 'timeout' }, skipped)).verdict).toBe('inconclusive');
    expect(
      judgeAttempt(result('tls', { kind: 'client_error', code: 'CERT_HAS_EXPIRED' }, skipped)).verdict,
    ).toBe('inconclusive');
    expect(judgeAttempt(result('tls', ok, { kind: 'alert', alert: 'certificate_required' })).how).toBe(
      'alert certificate_required on the first read',
    );
    expect(judgeAttempt(result('tls', ok, { kind: 'timeout' })).verdict).toBe('inconclusive');
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
