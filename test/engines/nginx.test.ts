/** The nginx engine: every mode it expresses × every standard identity × https, h2 × TLS 1.2, 1.3. */
import { describe, expect, it } from 'vitest';
import { nginxConfig } from '../../src/engines/nginx.js';
import { engineUnderTest, PLACEHOLDER_FILES as files } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const engine = await engineUnderTest('nginx', 'nginx');

describe('nginx configuration', () => {
  const config = (mode: Parameters<typeof nginxConfig>[0]['mode'], checkCrl = true) =>
    nginxConfig({ mode, tls: '1.3', checkCrl, host: '127.0.0.1', port: 8443, dir: '/e', files });
  it.each([
    ['no_client_certs', 'ssl_verify_client off;'],
    ['request_client_cert', 'ssl_verify_client optional_no_ca;'],
    ['verify_client_cert_if_given', 'ssl_verify_client optional;'],
    ['require_and_verify_client_cert', 'ssl_verify_client on;'],
  ] as const)('%s → %s', (mode, line) => {
    expect(config(mode)).toContain(line);
    expect(config(mode)).toContain('listen 127.0.0.1:8443 ssl http2;');
  });
  it('names the client CA and the CRL only where it verifies, and refuses what it cannot express', () => {
    expect(config('no_client_certs')).not.toMatch(/ssl_client_certificate|ssl_crl/);
    expect(config('require_and_verify_client_cert')).toContain('ssl_crl "/e/crl.pem";');
    expect(config('require_and_verify_client_cert', false)).not.toContain('ssl_crl');
    expect(() => config('require_any_client_cert')).toThrow(/cannot express/);
  });
});

describe.skipIf(engine.missing !== undefined)(engine.title, () => {
  it(
    'meets the oracle plus its stated deviations, and leaves nothing behind',
    { timeout: 120_000 },
    async () => {
      const cells = await judgeEngine('nginx', engine.pki(), { protocols: ['https', 'h2'] });
      const accepted = cells.find(
        (cell) =>
          cell.identity === 'valid' &&
          cell.mode === 'require_and_verify_client_cert' &&
          cell.verdict === 'accepted',
      )!;
      expect(accepted.serverViews[0]).toMatchObject({
        presented: true,
        subject: expect.stringContaining('CN=valid'),
      });
    },
  );
});
