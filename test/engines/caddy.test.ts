/** The Caddy engine (Go's crypto/tls): every mode × every standard identity × https, h2 × TLS 1.2, 1.3. */
import { describe, expect, it } from 'vitest';
import { caddyConfig } from '../../src/engines/caddy.js';
import { engineUnderTest, PLACEHOLDER_FILES as files } from './engine-fixture.js';
import { judgeEngine } from './engine-matrix.js';

const engine = await engineUnderTest('caddy', 'Caddy');

describe('Caddy configuration', () => {
  type Mode = Parameters<typeof caddyConfig>[0]['mode'];
  const policy = (mode: Mode) => {
    const config = JSON.parse(
      caddyConfig({ mode, tls: '1.2', host: '127.0.0.1', port: 8443, dir: '/e', files }),
    );
    expect(config.admin).toEqual({ disabled: true });
    expect(config.apps.http.servers.mtls.automatic_https).toEqual({ disable: true });
    return config.apps.http.servers.mtls.tls_connection_policies[0];
  };
  it.each([
    ['no_client_certs', undefined],
    ['request_client_cert', { mode: 'request' }],
    ['require_any_client_cert', { mode: 'require' }],
    [
      'verify_client_cert_if_given',
      { mode: 'verify_if_given', trusted_ca_certs_pem_files: ['/e/client-ca.pem'] },
    ],
    [
      'require_and_verify_client_cert',
      { mode: 'require_and_verify', trusted_ca_certs_pem_files: ['/e/client-ca.pem'] },
    ],
  ] as const)('%s → client_authentication %j', (mode, auth) => {
    expect(policy(mode).client_authentication).toEqual(auth);
    expect(policy(mode)).toMatchObject({ protocol_min: 'tls1.2', protocol_max: 'tls1.2' });
  });
});

describe.skipIf(engine.missing !== undefined)(engine.title, () => {
  it('meets the oracle (no CRL checks), and leaves nothing behind', { timeout: 120_000 }, async () => {
    const cells = await judgeEngine('caddy', engine.pki(), { protocols: ['https', 'h2'] });
    const seen = cells.find(
      (cell) =>
        cell.identity === 'valid' && cell.mode === 'require_and_verify_client_cert' && cell.protocol === 'h2',
    )!;
    expect(seen.serverViews[0]).toMatchObject({ presented: true, verified: true, alpn: 'h2' });
    expect(seen.serverViews[0]?.subject).toContain('CN=valid');
  });
});
