/**
 * Each engine's configuration for one mode, as text a user can paste: rendered by the same pure
 * function the engine's start() writes into its folder (nginxConfig, caddyConfig, haproxyConfig,
 * apacheConfig, the s_server command line, Node's server options), so what is printed is what
 * was run, with the file paths and the port the caller chooses. One entry per engine.
 */
import type { Mode } from '../modes.js';
import type { TlsVersion } from '../servers/types.js';
import { APACHE_ANSWER, APACHE_BINARY, apacheConfig } from './apache.js';
import { CADDY_BINARY, caddyConfig } from './caddy.js';
import { GO_SERVER_NAME, GO_SERVER_SOURCE_DIR } from './go-build.js';
import { goServerArgs } from './go.js';
import { HAPROXY_BINARY, haproxyConfig } from './haproxy.js';
import { JAVA_BINARY, JSSE_CLIENT_AUTH, JSSE_SERVER_SOURCE, jsseArgs, jsseLaunch } from './jvm.js';
import { NGINX_BINARY, nginxConfig } from './nginx.js';
import { nodeOptionsText } from './node-options-text.js';
import { OPENSSL_BINARY, sServerCommand } from './openssl.js';
import type { ServerFiles } from './program.js';

export interface ConfigInput {
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  host: string;
  port: number;
  /** The server's own folder: pid file, temporary files, logs, Apache's page. */
  dir: string;
  files: ServerFiles;
  /** The server certificate comes with intermediates to send (openssl's -cert_chain). */
  hasChain: boolean;
}

export interface PrintedConfig {
  /** The file name the engine gives it in its folder; null for a command line. */
  file: string | null;
  text: string;
  /** How mtls-lab runs it, given where the file is; absent for a command line. */
  run?(path: string): string;
  /** What else the server needs to run as mtls-lab runs it. */
  notes: string[];
}

/** A shell word: quoted only when it needs to be. */
export const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** Started as root, Apache serves from an unprivileged user (as the apache engine's start() does). */
const apacheUser = (): { user?: string } => (process.getuid?.() === 0 ? { user: 'www-data' } : {});

type Renderer = (input: ConfigInput) => PrintedConfig;

export const CONFIG_RENDERERS: Readonly<Partial<Record<string, Renderer>>> = {
  nginx: (input) => ({
    file: 'nginx.conf',
    text: nginxConfig(input),
    run: (path) => `${NGINX_BINARY} -p ${shellWord(`${input.dir}/`)} -c ${shellWord(path)} -e stderr`,
    notes: [],
  }),
  caddy: (input) => ({
    file: 'caddy.json',
    text: caddyConfig(input),
    run: (path) =>
      `HOME=${shellWord(input.dir)} XDG_DATA_HOME=${shellWord(input.dir)} XDG_CONFIG_HOME=${shellWord(input.dir)} ${CADDY_BINARY} run --config ${shellWord(path)} --adapter ''`,
    notes: [],
  }),
  haproxy: (input) => ({
    file: 'haproxy.cfg',
    text: haproxyConfig(input),
    run: (path) => `${HAPROXY_BINARY} -W -db -f ${shellWord(path)}`,
    notes: [],
  }),
  apache: (input) => ({
    file: 'httpd.conf',
    text: apacheConfig({ ...input, ...apacheUser() }),
    run: (path) => `${APACHE_BINARY} -DFOREGROUND -f ${shellWord(path)}`,
    notes: [
      `${input.dir}/www/index.shtml is the page that answers, with mod_ssl's view: ${APACHE_ANSWER.trim()}`,
    ],
  }),
  openssl: (input) => {
    const files = {
      cert: input.files.cert,
      key: input.files.key,
      ca: input.files.clientCa,
      ...(input.hasChain ? { chain: input.files.certChain } : {}),
    };
    const args = sServerCommand(input.host, input.port, input.mode, input.tls, input.checkCrl, files, '-www');
    return {
      file: null,
      text: `${[OPENSSL_BINARY, ...args].map(shellWord).join(' ')}\n`,
      notes: [
        'this serves https (-www answers a GET with a status page); for raw TLS mtls-lab runs the same command with -rev instead of -www, on another port',
        ...(input.checkCrl
          ? [
              `with CRL checks, ${input.files.clientCa} holds the client CA followed by its CRLs: -CAfile loads both`,
            ]
          : []),
      ],
    };
  },
  go: (input) => {
    const files = {
      // The engine always hands over the chain file (the certificate alone when it has no intermediates).
      cert: input.files.certChain,
      key: input.files.key,
      ca: input.files.clientCa,
      ...(input.checkCrl ? { crl: input.files.crl } : {}),
    };
    const binary = `${input.dir}/${GO_SERVER_NAME}`;
    const args = goServerArgs(input.mode, input.tls, files, `${input.host}:${input.port}`);
    return {
      file: null,
      text: `${[binary, ...args].map(shellWord).join(' ')}\n`,
      notes: [
        `the binary is built from ${GO_SERVER_SOURCE_DIR}main.go (standard library only; mtls-lab keeps its build in its cache folder): cd there and run go build -o ${shellWord(binary)} main.go`,
      ],
    };
  },
  jvm: (input) => {
    const clientAuth = JSSE_CLIENT_AUTH[input.mode];
    if (!clientAuth) throw new Error(`the jvm engine cannot express ${input.mode}`);
    const stores = {
      keystore: `${input.dir}/server.p12`,
      truststore: `${input.dir}/truststore.p12`,
      ...(input.checkCrl ? { crls: input.files.crl } : {}),
    };
    const classes = `${input.dir}/classes`;
    const args = jsseArgs(jsseLaunch(classes), stores, clientAuth, input.tls, input.port);
    return {
      file: null,
      text: `${[JAVA_BINARY, ...args].map(shellWord).join(' ')}\n`,
      notes: [
        `${classes} holds the classes compiled from ${JSSE_SERVER_SOURCE} (mtls-lab keeps them in its cache folder): ${[JAVA_BINARY, '-m', 'jdk.compiler/com.sun.tools.javac.Main', '-d', classes, JSSE_SERVER_SOURCE].map(shellWord).join(' ')}; or, without that step, give the source file in place of -cp ${shellWord(classes)} JsseServer`,
        `${stores.keystore} is the server's PKCS#12 keystore (gen writes server/server.p12) and ${stores.truststore} the client CA as a trusted entry (gen writes truststore.p12), both with the manifest's p12 password`,
      ],
    };
  },
  node: (input) => ({
    file: null,
    text: nodeOptionsText(input),
    run: () =>
      'import { options } from this module and pass them to tls.createServer, https.createServer or http2.createSecureServer',
    notes: [],
  }),
};
