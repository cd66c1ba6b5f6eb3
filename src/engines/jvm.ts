/**
 * The `jvm` engine: JSSE, the TLS stack of Akka gRPC and most JVM services, through the JDK's
 * HttpsServer in engines/jvm/JsseServer.java. Its classes are compiled once (javac, from the
 * jdk.compiler module, so a JDK, not a JRE) into the user's cache folder (build-cache.ts:
 * ~/.cache/mtls-lab/jvm-engine/<key>, keyed by the source and the JDK as `java --list-modules`
 * names it: every module with its version), and each server runs `java -cp <that folder>
 * JsseServer`. The source launcher (`java JsseServer.java`) compiles on every start, which
 * takes several times longer than the start itself; it runs the server only where the cache
 * cannot be used. Like a JVM service, it loads its key from a PKCS#12 keystore and the client
 * CA from a PKCS#12 truststore, written into its folder exactly as `mtls-lab gen` writes them.
 *
 * | mode                           | SSLParameters               |
 * |--------------------------------|-----------------------------|
 * | no_client_certs                | (neither)                   |
 * | request_client_cert            | — JSSE verifies what is sent |
 * | require_any_client_cert        | — JSSE verifies what is sent |
 * | verify_client_cert_if_given    | setWantClientAuth(true)     |
 * | require_and_verify_client_cert | setNeedClientAuth(true)     |
 *
 * CRLs: JSSE checks revocation only when told to; the truststore is then handed over as PKIX
 * parameters with revocation enabled and the PKI's CRLs in a Collection CertStore (nothing is
 * fetched). One port serves `tls` and `https` (the raw client sends an HTTP/1.1 GET); the
 * HttpsServer speaks no HTTP/2.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../exec.js';
import { type Mode, resolveMode } from '../modes.js';
import { pemBlocks } from '../pki/pem.js';
import { DEFAULT_P12_PASSWORD } from '../pki/types.js';
import type { ServerCredentials } from '../servers/server.js';
import type { TlsVersion } from '../servers/types.js';
import { cachedBuild, cacheFolder, cacheKey } from './build-cache.js';
import { viewFromJson } from './json-view.js';
import { startProgramServer } from './program.js';
import { type EngineDriver, type EngineServer, type EngineStartOptions, inexpressible } from './types.js';

export const JAVA_BINARY = process.env.MTLS_LAB_JAVA ?? 'java';
/** Shipped beside dist/ and src/ (package.json "files"), so found from either. */
export const JSSE_SERVER_SOURCE = fileURLToPath(
  new URL('../../engines/jvm/JsseServer.java', import.meta.url),
);
/** Start-up speed over peak speed: the server answers a few hundred requests at most. */
export const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'] as const;
/** The class JsseServer.java declares, run from its compiled classes. */
export const JSSE_MAIN_CLASS = 'JsseServer';
/** javac run by `java` itself, so it is the JDK that runs the server; start-up flags as above. */
const COMPILE = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-m',
  'jdk.compiler/com.sun.tools.javac.Main',
  '-proc:none',
];
const COMPILE_TIMEOUT_MS = 120_000;

export type JsseClientAuth = 'none' | 'want' | 'need';
export const JSSE_CLIENT_AUTH: Partial<Record<Mode, JsseClientAuth>> = {
  no_client_certs: 'none',
  verify_client_cert_if_given: 'want',
  require_and_verify_client_cert: 'need',
};
const SETTING: Record<JsseClientAuth, string> = {
  none: 'SSLParameters without client auth',
  want: 'SSLParameters.setWantClientAuth(true)',
  need: 'SSLParameters.setNeedClientAuth(true)',
};

export const jvm = {
  name: 'jvm',
  title: "the JDK's HttpsServer (JSSE, setWantClientAuth / setNeedClientAuth)",
  program: JAVA_BINARY,
  package: 'default-jdk-headless',
  modes: {
    no_client_certs: { setting: SETTING.none },
    request_client_cert: {
      inexpressible: 'JSSE has no request-without-verify mode: setWantClientAuth verifies what is sent',
    },
    require_any_client_cert: {
      inexpressible: 'JSSE has no require-any mode: setNeedClientAuth verifies what is sent',
    },
    verify_client_cert_if_given: { setting: SETTING.want },
    require_and_verify_client_cert: { setting: SETTING.need },
  },
  protocols: {
    tls: true,
    https: true,
    h2: "the JDK's HttpsServer speaks no HTTP/2",
    grpc: "the JDK's HttpsServer speaks no HTTP/2, so no gRPC either",
  },
  crl: true,
  deviations: [],
  viewFromAnswer: (answer) => viewFromJson(answer, 'jvm'),
  unavailable: () => jvmUnavailable(),
  start: (options) => startJvmServer(options),
} as const satisfies EngineDriver<'jvm'>;

let modules: ReturnType<typeof listModules> | undefined;
const listModules = () => runProgram(JAVA_BINARY, ['--list-modules'], { timeout: 30_000 });
/** `java --list-modules`, asked once per process: each module with the JDK's version. */
const javaModules = () => (modules ??= listModules());

let availability: Promise<string | undefined> | undefined;

/** Why this `java` cannot compile and run JsseServer.java; asked once per process. */
export function jvmUnavailable(): Promise<string | undefined> {
  availability ??= javaModules().then((result) => {
    const install = '(apt-get install default-jdk-headless)';
    if (result.code === 'ENOENT') return `java is not installed: ${JAVA_BINARY} not found on PATH ${install}`;
    if (result.exitCode !== 0)
      return `${JAVA_BINARY} --list-modules failed: ${`${result.stderr || result.shortMessage}`.trim().split('\n')[0]} ${install}`;
    // javac (and `java File.java`) is jdk.compiler, which a JRE lacks; HttpsServer is jdk.httpserver.
    for (const module of ['jdk.compiler', 'jdk.httpserver'])
      if (!new RegExp(`^${module.replace('.', '\\.')}@`, 'm').test(result.stdout))
        return `${JAVA_BINARY} has no ${module} module: a JRE, not a JDK ${install}`;
    return undefined;
  });
  return availability;
}

/**
 * The folder of JsseServer's compiled classes in the user's cache, compiled now when this
 * source and JDK have none yet; undefined where they cannot be cached (or compiled: the source
 * launcher then says why).
 */
export async function jsseClasses(): Promise<string | undefined> {
  const [source, jdk] = await Promise.all([readFile(JSSE_SERVER_SOURCE, 'utf8'), javaModules()]);
  if (jdk.exitCode !== 0) return undefined;
  // The modules' versions name the JDK (java.base@17.0.15): a new JDK compiles afresh.
  const key = cacheKey(COMPILE.join(' '), source, `${jdk.stdout}`.trim());
  return cachedBuild(cacheFolder('jvm-engine'), key, async (dir) => {
    const result = await runProgram(JAVA_BINARY, [...COMPILE, '-d', dir, JSSE_SERVER_SOURCE], {
      timeout: COMPILE_TIMEOUT_MS,
    });
    if (result.exitCode !== 0)
      throw new Error(`javac ${JSSE_SERVER_SOURCE} failed: ${result.stderr || result.shortMessage}`);
  }).catch(() => undefined);
}

/** What follows `java` to run JsseServer: its classes in `classes`, or (none) its source. */
export function jsseLaunch(classes?: string): string[] {
  return classes ? [...JVM_FLAGS, '-cp', classes, JSSE_MAIN_CLASS] : [...JVM_FLAGS, JSSE_SERVER_SOURCE];
}

/** What follows `java` to run JsseServer as the engine does: from cached classes, else from source. */
export async function jsseLaunchArgs(): Promise<string[]> {
  return jsseLaunch(await jsseClasses());
}

/** The command line after `java`: how JsseServer is launched (jsseLaunch), then its own arguments. */
export function jsseArgs(
  launch: readonly string[],
  files: { keystore: string; truststore: string; crls?: string },
  clientAuth: JsseClientAuth,
  tls: TlsVersion | 'both',
  port: number,
  password = DEFAULT_P12_PASSWORD,
): string[] {
  const { keystore, truststore, crls } = files;
  return [...launch, keystore, truststore, password, clientAuth, tls, String(port), ...(crls ? [crls] : [])];
}

export async function startJvmServer(options: EngineStartOptions): Promise<EngineServer> {
  const mode = resolveMode(options.mode);
  const clientAuth = JSSE_CLIENT_AUTH[mode];
  if (!clientAuth)
    throw new Error(`the jvm engine cannot express ${mode}: ${inexpressible(jvm.modes[mode])}`);
  // PBKDF2 for both stores runs once, not once per port attempt.
  const [stores, launch] = await Promise.all([keystores(options.pki), jsseLaunchArgs()]);
  const crls = options.checkCrl && clientAuth !== 'none' ? options.pki.crl : undefined;
  // What JSSE saw is in each answer's body (viewFromAnswer), not kept per connection.
  return startProgramServer(options, {
    engine: 'jvm',
    what: `java JsseServer (${clientAuth})`,
    prepare: async (dir, _host, port) => {
      const files = { keystore: join(dir, 'server.p12'), truststore: join(dir, 'truststore.p12') };
      await Promise.all([
        writeFile(files.keystore, stores.keystore, { mode: 0o600 }),
        writeFile(files.truststore, stores.truststore, { mode: 0o600 }),
        ...(crls ? [writeFile(join(dir, 'crl.pem'), crls)] : []),
      ]);
      const args = jsseArgs(
        launch,
        crls ? { ...files, crls: join(dir, 'crl.pem') } : files,
        clientAuth,
        options.tls,
        port,
      );
      return { command: JAVA_BINARY, args };
    },
    readyLine: /^LISTENING \d+$/m,
    portInUse: /BindException|address already in use/i,
  });
}

/** server.p12 and truststore.p12 as `gen` writes them: the server's key entry, the client CAs. */
async function keystores(pki: ServerCredentials) {
  // The PKCS#12 library loads only for a JVM server, not with every engine driver.
  const { buildKeystore, buildTruststore } = await import('../pki/pkcs12.js');
  const chain = pki.server.chain ?? pki.server.cert;
  const cas = pemBlocks(pki.clientCa, 'CERTIFICATE');
  const [keystore, truststore] = await Promise.all([
    buildKeystore(pki.server.key, chain, DEFAULT_P12_PASSWORD, 'server'),
    buildTruststore(
      cas.map((pem, i) => ({ pem, alias: i === 0 ? 'mtls-lab root ca' : `mtls-lab client ca ${i + 1}` })),
      DEFAULT_P12_PASSWORD,
    ),
  ]);
  return { keystore, truststore };
}
