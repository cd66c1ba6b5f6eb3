/** `matrix --target` and `probe` against real nginx in each ssl_verify_client mode, with and without ssl_crl. */
import { describe, expect, it } from 'vitest';
import { mtlsLab } from '../../helpers/cli.js';
import { missing, type NginxVerify, startNginx } from '../../helpers/real-servers/index.js';
import { behaviour, judgeRealServer, type RealCase, usePki } from './judge-real.js';

const absent = await missing('nginx');
const MODES: Record<NginxVerify, Pick<RealCase, 'behaviour' | 'wrong'>> = {
  off: { behaviour: behaviour('no_client_certs'), wrong: behaviour('require_any_client_cert') },
  optional: { behaviour: behaviour('verify_client_cert_if_given'), wrong: behaviour('request_client_cert') },
  optional_no_ca: {
    behaviour: behaviour('verify_client_cert_if_given', 'untrusted-issuer'),
    wrong: behaviour('request_client_cert'),
  },
  on: {
    behaviour: behaviour('require_and_verify_client_cert'),
    wrong: behaviour('verify_client_cert_if_given'),
  },
};

const written = usePki(absent);

describe.skipIf(absent !== undefined)('real nginx', () => {
  for (const verify of Object.keys(MODES) as NginxVerify[]) {
    for (const crl of [false, true]) {
      it(`ssl_verify_client ${verify}${crl ? ' + ssl_crl' : ''}`, { timeout: 120_000 }, async () => {
        await judgeRealServer(written.pki, {
          ...MODES[verify],
          checksCrl: crl,
          serves: ['1.2', '1.3'],
          start: () => startNginx({ pkiDir: written.dir, verify, crl, tls: 'both' }),
        });
      });
    }
  }

  it(
    'passes `matrix --target --expect-mode optional_no_ca` through the binary, and fails `request`',
    { timeout: 120_000 },
    async () => {
      const server = await startNginx({
        pkiDir: written.dir,
        verify: 'optional_no_ca',
        crl: true,
        tls: 'both',
      });
      try {
        const args = [
          'matrix',
          '--target',
          `127.0.0.1:${server.port}`,
          '--pki',
          written.dir,
          '--target-checks-crl',
        ];
        const right = await mtlsLab([
          ...args,
          '--expect-mode',
          'optional_no_ca',
          '--target-trusts-root-only',
        ]);
        expect(right.exitCode, `${right.stdout}\n${right.stderr}`).toBe(0);
        const wrong = await mtlsLab([...args, '--expect-mode', 'request', '--protocols', 'https']);
        expect(wrong.exitCode).toBe(1);
        expect(wrong.stdout).toMatch(
          /The server behaves as verify_client_cert_if_given forgiving untrusted-issuer, not request_client_cert/,
        );
      } finally {
        await server.close();
      }
    },
  );
});
