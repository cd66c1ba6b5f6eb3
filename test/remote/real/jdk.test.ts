/**
 * `matrix --target` and `probe` against the JDK's HttpsServer (JSSE, the stack of Akka gRPC):
 * no client auth, setWantClientAuth and setNeedClientAuth, offering both TLS versions and
 * pinned to one. JSSE sends no alert at all: every refusal, a TLS version included, is a close.
 */
import { describe, it } from 'vitest';
import type { TlsVersion } from '../../../src/servers/types.js';
import {
  type JdkClientAuth,
  missing,
  startJdkHttps,
  type TlsChoice,
} from '../../helpers/real-servers/index.js';
import { behaviour, judgeRealServer, type RealCase, usePki } from './judge-real.js';

const absent = await missing('jdk');
const AUTH: Record<JdkClientAuth, Pick<RealCase, 'behaviour' | 'wrong'>> = {
  none: { behaviour: behaviour('no_client_certs'), wrong: behaviour('require_any_client_cert') },
  want: { behaviour: behaviour('verify_client_cert_if_given'), wrong: behaviour('request_client_cert') },
  need: { behaviour: behaviour('require_and_verify_client_cert'), wrong: behaviour('request_client_cert') },
};
const CASES: { auth: JdkClientAuth; tls: TlsChoice }[] = [
  { auth: 'none', tls: 'both' },
  { auth: 'want', tls: 'both' },
  { auth: 'need', tls: 'both' },
  { auth: 'want', tls: '1.2' },
  { auth: 'need', tls: '1.3' },
];
const served = (tls: TlsChoice): TlsVersion[] => (tls === 'both' ? ['1.2', '1.3'] : [tls]);

const written = usePki(absent);

describe.skipIf(absent !== undefined)('real JDK HttpsServer', () => {
  for (const { auth, tls } of CASES) {
    it(`client auth ${auth}, TLS ${tls}`, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        ...AUTH[auth],
        // JSSE does not check revocation unless told to.
        checksCrl: false,
        serves: served(tls),
        start: () => startJdkHttps({ pkiDir: written.dir, clientAuth: auth, tls }),
      });
    });
  }
});
