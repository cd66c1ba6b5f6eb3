/** The Apache httpd engine: every mode it expresses × every standard identity × https, h2 × TLS 1.2, 1.3. */
import { describe, expect, it } from 'vitest';
import { apacheConfig } from '../../src/engines/apache.js';
import { engineUnderTest, PLACEHOLDER_FILES as files } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const engine = await engineUnderTest('apache', 'Apache httpd');

describe('Apache httpd configuration', () => {
  const config = (mode: Parameters<typeof apacheConfig>[0]['mode'], checkCrl = true) =>
    apacheConfig({ mode, tls: '1.2', checkCrl, host: '127.0.0.1', port: 8443, dir: '/e', files });
  it.each([
    ['no_client_certs', 'SSLVerifyClient none'],
    ['request_client_cert', 'SSLVerifyClient optional_no_ca'],
    ['verify_client_cert_if_given', 'SSLVerifyClient optional'],
    ['require_and_verify_client_cert', 'SSLVerifyClient require'],
  ] as const)('%s → %s', (mode, line) => {
    expect(config(mode)).toContain(`  ${line}\n`);
    expect(config(mode)).toContain('SSLProtocol -all +TLSv1.2');
    expect(config(mode)).toContain('PidFile "/e/httpd.pid"');
  });
  it('checks the CRL of the whole chain only where it verifies, and refuses what it cannot express', () => {
    expect(config('require_and_verify_client_cert')).toContain(
      'SSLCARevocationFile "/e/crl.pem"\n  SSLCARevocationCheck chain',
    );
    expect(config('require_and_verify_client_cert', false)).not.toContain('SSLCARevocation');
    expect(config('no_client_certs')).not.toMatch(/SSLCACertificateFile|SSLCARevocation/);
    expect(() => config('require_any_client_cert')).toThrow(/cannot express/);
  });
});

describe.skipIf(engine.missing !== undefined)(engine.title, () => {
  it(
    'meets the oracle plus its stated deviations, and leaves nothing behind',
    { timeout: 120_000 },
    async () => {
      const cells = await judgeEngine('apache', engine.pki(), { protocols: ['https', 'h2'] });
      const seen = cells.find(
        (cell) =>
          cell.identity === 'chain' && cell.mode === 'verify_client_cert_if_given' && cell.protocol === 'h2',
      )!;
      expect(seen.serverViews[0]).toMatchObject({ presented: true, verified: true, alpn: 'h2' });
    },
  );

  it('without CRL checks, optional_no_ca forgives an untrusted issuer', { timeout: 120_000 }, async () => {
    const cells = await judgeEngine('apache', engine.pki(), {
      modes: ['request_client_cert'],
      protocols: ['https'],
      checkCrl: false,
    });
    const untrusted = cells.filter((cell) => cell.identity === 'untrusted-ca');
    expect(untrusted.map((cell) => cell.verdict)).toEqual(['accepted', 'accepted']);
  });
});
