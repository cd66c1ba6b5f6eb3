/** The HAProxy engine: every mode × every standard identity × https, h2 × TLS 1.2, 1.3. */
import { describe, expect, it } from 'vitest';
import { haproxyConfig } from '../../src/engines/haproxy.js';
import { engineUnderTest, PLACEHOLDER_FILES as files } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const engine = await engineUnderTest('haproxy', 'HAProxy');

describe('HAProxy configuration', () => {
  const bind = (mode: Parameters<typeof haproxyConfig>[0]['mode'], checkCrl = true) =>
    haproxyConfig({ mode, tls: '1.3', checkCrl, host: '127.0.0.1', port: 8443, dir: '/e', files })
      .split('\n')
      .find((line) => line.trim().startsWith('bind '))!
      .replace(/^.*ssl-max-ver TLSv1\.3 /, '');
  it.each([
    ['no_client_certs', 'verify none'],
    ['request_client_cert', 'verify optional ca-file /e/client-ca.pem ca-ignore-err all crt-ignore-err all'],
    [
      'require_any_client_cert',
      'verify required ca-file /e/client-ca.pem ca-ignore-err all crt-ignore-err all',
    ],
    ['verify_client_cert_if_given', 'verify optional ca-file /e/client-ca.pem crl-file /e/crl.pem'],
    ['require_and_verify_client_cert', 'verify required ca-file /e/client-ca.pem crl-file /e/crl.pem'],
  ] as const)('%s → bind … %s', (mode, options) => {
    expect(bind(mode)).toBe(options);
  });
  it('names no CRL when told not to check one', () => {
    expect(bind('require_and_verify_client_cert', false)).toBe('verify required ca-file /e/client-ca.pem');
  });
});

describe.skipIf(engine.missing !== undefined)(engine.title, () => {
  it('meets the oracle, and leaves nothing behind', { timeout: 120_000 }, async () => {
    const cells = await judgeEngine('haproxy', engine.pki(), { protocols: ['https', 'h2'] });
    const untrusted = cells.find(
      (cell) =>
        cell.identity === 'untrusted-ca' && cell.mode === 'request_client_cert' && cell.protocol === 'https',
    )!;
    expect(untrusted.serverViews[0]).toMatchObject({ presented: true, verified: false });
  });
});
