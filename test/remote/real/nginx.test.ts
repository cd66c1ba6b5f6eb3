/** `matrix --target` and `probe` against real nginx in each ssl_verify_client mode, with and without ssl_crl. */
import { describe, expect, it } from 'vitest';
import { mtlsLab, runMain } from '../../helpers/cli.js';
import { missing, type NginxVerify, startNginx } from '../../helpers/real-servers/index.js';
import { behaviour, DECIDING, judgeRealServer, type RealCase, usePki } from './judge-real.js';

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
/**
 * ssl_crl changes only what happens to `revoked`, which `probe` leaves out of its fit (it
 * cannot know whether a server checks CRLs): the probe names each mode once, without ssl_crl.
 * ssl_crl with verification off is not a setting anyone relies on, so it has no case;
 * optional_no_ca + ssl_crl is judged through the binary below. `on + ssl_crl`, where every
 * cell is decided, is judged over every identity and protocol.
 */
const CASES: { verify: NginxVerify; crl: boolean }[] = [
  { verify: 'off', crl: false },
  { verify: 'optional', crl: false },
  { verify: 'optional', crl: true },
  { verify: 'optional_no_ca', crl: false },
  { verify: 'on', crl: false },
  { verify: 'on', crl: true },
];

const written = usePki(absent);

describe.skipIf(absent !== undefined)('real nginx', () => {
  for (const { verify, crl } of CASES) {
    it(`ssl_verify_client ${verify}${crl ? ' + ssl_crl' : ''}`, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        ...MODES[verify],
        checksCrl: crl,
        serves: ['1.2', '1.3'],
        ...(verify === 'on' && crl ? {} : DECIDING),
        probe: !crl,
        start: () => startNginx({ pkiDir: written.dir, verify, crl, tls: 'both' }),
      });
    });
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
          // What tells optional_no_ca + ssl_crl apart: an untrusted issuer forgiven, the rest refused.
          '--identities',
          [...DECIDING.identities!, 'self-signed'].join(','),
        ];
        // The exit status of a real process is what a CI job goes by.
        const right = await mtlsLab([
          ...args,
          '--protocols',
          'tls,https',
          '--expect-mode',
          'optional_no_ca',
          '--target-trusts-root-only',
        ]);
        expect(right.exitCode, `${right.stdout}\n${right.stderr}`).toBe(0);
        expect(right.stdout).toMatch(/all 28 cells as expected/);
        const wrong = await runMain([...args, '--expect-mode', 'request', '--protocols', 'https']);
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
