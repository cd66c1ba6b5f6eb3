/** The verdict after a completed handshake, per mode, and the small parsers around it. */
import { describe, expect, it } from 'vitest';
import { MODES } from '../../src/modes.js';
import { handshakeReason } from '../../src/servers/connections.js';
import { decideAfterHandshake } from '../../src/servers/decide.js';
import {
  decodeStringFields,
  encodeStringField,
  frameMessage,
  unframeMessages,
} from '../../src/servers/grpc-wire.js';
import { firstUri } from '../../src/servers/peer.js';
import { splitPem, tlsServerOptions } from '../../src/servers/tls-options.js';

const none = { presented: false, authorizationError: null };
const good = { presented: true, authorizationError: null };
const bad = { presented: true, authorizationError: 'CERT_HAS_EXPIRED' };

describe('decideAfterHandshake', () => {
  it.each([
    ['no_client_certs', 'accepted', 'accepted', 'accepted'],
    ['request_client_cert', 'accepted', 'accepted', 'accepted'],
    ['require_any_client_cert', 'rejected', 'accepted', 'accepted'],
    ['verify_client_cert_if_given', 'accepted', 'accepted', 'rejected'],
    ['require_and_verify_client_cert', 'rejected', 'accepted', 'rejected'],
  ] as const)('%s: none %s, good %s, bad %s', (mode, ifNone, ifGood, ifBad) => {
    expect(decideAfterHandshake(mode, none).decision).toBe(ifNone);
    expect(decideAfterHandshake(mode, good).decision).toBe(ifGood);
    expect(decideAfterHandshake(mode, bad).decision).toBe(ifBad);
  });

  it('reports verification only where the mode verifies and a certificate came', () => {
    expect(decideAfterHandshake('request_client_cert', bad)).toMatchObject({
      verified: null,
      verifyError: null,
    });
    expect(decideAfterHandshake('verify_client_cert_if_given', none)).toMatchObject({ verified: null });
    expect(decideAfterHandshake('verify_client_cert_if_given', bad)).toMatchObject({
      verified: false,
      verifyError: 'CERT_HAS_EXPIRED',
      stage: 'after-handshake',
    });
    expect(decideAfterHandshake('require_and_verify_client_cert', good)).toMatchObject({
      verified: true,
      stage: null,
    });
  });
});

describe('TLS options per mode', () => {
  const credentials = {
    server: { cert: 'C', key: 'K' },
    clientCa: 'CA',
    crl: '-----BEGIN X509 CRL-----\nA\n-----END X509 CRL-----\n-----BEGIN X509 CRL-----\nB\n-----END X509 CRL-----\n',
  };
  it.each(MODES)('%s', (mode) => {
    const options = tlsServerOptions(mode, credentials, '1.3', true);
    expect(options.requestCert).toBe(mode !== 'no_client_certs');
    expect(options.rejectUnauthorized).toBe(mode === 'require_and_verify_client_cert');
    expect(options.ca).toBe(mode === 'no_client_certs' ? undefined : 'CA');
    expect((options.crl as string[] | undefined)?.length).toBe(mode.includes('verify') ? 2 : undefined);
    expect([options.minVersion, options.maxVersion]).toEqual(['TLSv1.3', 'TLSv1.3']);
  });
  it('splits concatenated PEM blocks', () => {
    expect(splitPem(credentials.crl, 'X509 CRL')).toHaveLength(2);
  });
});

describe('wire helpers', () => {
  it('frames, unframes and decodes protobuf string fields', () => {
    const message = encodeStringField(1, 'x'.repeat(300));
    const [back] = unframeMessages(frameMessage(message));
    expect(decodeStringFields(back!).get(1)).toBe('x'.repeat(300));
    expect(() => unframeMessages(Buffer.from([0, 0, 0, 0, 9, 1]))).toThrow(/truncated/);
  });
  it('finds the URI SAN', () => {
    expect(firstUri('DNS:a.test, URI:spiffe://lab/x, IP Address:127.0.0.1')).toBe('spiffe://lab/x');
    expect(firstUri(undefined)).toBeUndefined();
  });
  it('names handshake failures in words', () => {
    const error = Object.assign(
      new Error('C0:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:x.c:1:'),
      {
        code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
      },
    );
    expect(handshakeReason(error)).toBe('the client aborted the handshake (tlsv1 alert unknown ca)');
  });
});
