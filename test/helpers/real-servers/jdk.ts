/**
 * A JDK (JSSE) HTTPS server: the `jvm` engine's engines/jvm/JsseServer.java, run by the source
 * launcher (`java File.java`, which needs the jdk.compiler module, so a JDK, not a JRE). It
 * loads server/server.p12 and truststore.p12 exactly as `gen` writes them, so it also proves
 * that a JVM accepts those files. JSSE's clientAuth: none (no CertificateRequest), want
 * (asks; verifies what is sent), need (asks and requires).
 */
import { join } from 'node:path';
import { JAVA_BINARY, jsseLaunchArgs } from '../../../src/engines/jvm.js';
import { DEFAULT_P12_PASSWORD } from '../../../src/pki/write.js';
import { closer, HOST, spawnGroup } from './process.js';
import { type RealServer, type TlsChoice, tlsLabel } from './types.js';

export { JAVA_BINARY };

/** JSSE's names; want behaves as verify_client_cert_if_given, need as require_and_verify. */
export type JdkClientAuth = 'none' | 'want' | 'need';

export interface StartJdkHttpsOptions {
  /** A folder written by writePki(). */
  pkiDir: string;
  clientAuth: JdkClientAuth;
  tls: TlsChoice;
  /** Of both .p12 files; gen's default unless given. */
  p12Password?: string;
}

export function jdkLabel(options: Pick<StartJdkHttpsOptions, 'clientAuth' | 'tls'>): string {
  return `JDK HttpsServer clientAuth=${options.clientAuth}, ${tlsLabel(options.tls)}`;
}

export async function startJdkHttps(options: StartJdkHttpsOptions): Promise<RealServer> {
  const label = jdkLabel(options);
  const child = spawnGroup(JAVA_BINARY, [
    ...(await jsseLaunchArgs()),
    join(options.pkiDir, 'server/server.p12'),
    join(options.pkiDir, 'truststore.p12'),
    options.p12Password ?? DEFAULT_P12_PASSWORD,
    options.clientAuth,
    options.tls,
    // Port 0: the server tells its port, so there is no race and nothing to retry.
    '0',
  ]);
  try {
    // The JVM compiles the source in memory first (a second or two); it prints its port once bound.
    const match = await child.waitFor('stdout', /^LISTENING (\d+)$/m, label);
    return {
      kind: 'jdk',
      label,
      host: HOST,
      port: Number(match[1]),
      pid: child.pid,
      close: closer({ child }),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
