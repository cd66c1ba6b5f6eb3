/**
 * `matrix --target` and `probe` against the JDK's HttpsServer (JSSE, the stack of Akka gRPC):
 * no client auth, setWantClientAuth and setNeedClientAuth, offering both TLS versions and
 * pinned to one. JSSE sends no alert at all: every refusal, a TLS version included, is a close.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TlsVersion } from '../../../src/servers/types.js';
import {
  type JdkClientAuth,
  missing,
  type RealServer,
  startJdkHttps,
  type TlsChoice,
} from '../../helpers/real-servers/index.js';
import { behaviour, DECIDING, judgeRealServer, type RealCase, usePki } from './judge-real.js';

const absent = await missing('jdk');
const AUTH: Record<JdkClientAuth, Pick<RealCase, 'behaviour' | 'wrong'>> = {
  none: { behaviour: behaviour('no_client_certs'), wrong: behaviour('require_any_client_cert') },
  want: { behaviour: behaviour('verify_client_cert_if_given'), wrong: behaviour('request_client_cert') },
  need: { behaviour: behaviour('require_and_verify_client_cert'), wrong: behaviour('request_client_cert') },
};
/**
 * want and need over both versions (in TLS 1.3 a refused certificate is refused after the
 * client's handshake is done, in 1.2 within it); need is judged over every identity and
 * protocol. The server without client auth is pinned to TLS 1.2: JSSE closes on a ClientHello
 * of a version it does not serve before any ServerHello, either way round, which discovery
 * must tell from a refusal.
 */
const CASES: { auth: JdkClientAuth; tls: TlsChoice }[] = [
  { auth: 'none', tls: '1.2' },
  { auth: 'want', tls: 'both' },
  { auth: 'need', tls: 'both' },
];
const served = (tls: TlsChoice): TlsVersion[] => (tls === 'both' ? ['1.2', '1.3'] : [tls]);

const written = usePki(absent);

/**
 * A JVM start is seconds of compiling, mostly in the JVM's own process: the servers start one
 * after another from the outset, so each compiles while a case judges the one before it. Not
 * all at once: several JVMs compiling together on two busy cores could outlast the start timeout.
 */
const servers = new Map<string, Promise<RealServer>>();
const key = (auth: JdkClientAuth, tls: TlsChoice) => `${auth}@${tls}`;
beforeAll(() => {
  if (absent) return;
  let previous: Promise<unknown> = Promise.resolve();
  for (const { auth, tls } of CASES) {
    const server = previous.then(() => startJdkHttps({ pkiDir: written.dir, clientAuth: auth, tls }));
    // A start that fails fails its own case; the next server still starts.
    previous = server.catch(() => undefined);
    servers.set(key(auth, tls), server);
  }
});
afterAll(async () => {
  const started = await Promise.allSettled(servers.values());
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
});

describe.skipIf(absent !== undefined)('real JDK HttpsServer', () => {
  for (const { auth, tls } of CASES) {
    it(`client auth ${auth}, TLS ${tls}`, { timeout: 120_000 }, async () => {
      await judgeRealServer(written.pki, {
        ...AUTH[auth],
        // JSSE does not check revocation unless told to.
        checksCrl: false,
        serves: served(tls),
        ...(auth === 'need' ? {} : DECIDING),
        start: () => servers.get(key(auth, tls))!,
      });
    });
  }
});
