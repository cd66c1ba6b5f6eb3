/**
 * The `apache` engine: Apache httpd with mod_ssl, one unprivileged foreground server
 * (-DFOREGROUND) per mode, with its own ServerRoot, PidFile and error log in the server's
 * folder, and modules loaded by absolute path (Debian keeps them in /usr/lib/apache2/modules).
 * An accepted request is answered by a server-side include that echoes mod_ssl's
 * SSL_CLIENT_VERIFY and friends as JSON.
 *
 * | mode                           | SSLVerifyClient                                      |
 * |--------------------------------|------------------------------------------------------|
 * | no_client_certs                | none                                                 |
 * | request_client_cert            | optional_no_ca                                       |
 * | require_any_client_cert        | none: `require` verifies, optional_no_ca does not require |
 * | verify_client_cert_if_given    | optional                                             |
 * | require_and_verify_client_cert | require                                              |
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../modes.js';
import type { TlsVersion } from '../servers/types.js';
import { engineAnswer, viewOfAnswer } from './answer-view.js';
import { type ServerFiles, startProgramServer, versionOf, writeServerFiles } from './program.js';
import type { EngineDriver } from './types.js';

export const APACHE_BINARY = process.env.MTLS_LAB_APACHE ?? 'apache2';
export const APACHE_MODULES = process.env.MTLS_LAB_APACHE_MODULES ?? '/usr/lib/apache2/modules';

const VERIFY: Record<Mode, string | undefined> = {
  no_client_certs: 'none',
  request_client_cert: 'optional_no_ca',
  require_any_client_cert: undefined,
  verify_client_cert_if_given: 'optional',
  require_and_verify_client_cert: 'require',
};

const MODULES = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['dir_module', 'mod_dir.so'],
  ['include_module', 'mod_include.so'],
  ['ssl_module', 'mod_ssl.so'],
  ['http2_module', 'mod_http2.so'],
] as const;

export interface ApacheConfigInput {
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  host: string;
  port: number;
  dir: string;
  files: ServerFiles;
  /** Where the modules are; default Debian's. */
  modules?: string;
  /** Run children as this user when started as root (Apache will not serve as root). */
  user?: string;
}

function quote(path: string): string {
  if (/["\\\s]/.test(path)) throw new Error(`apache: unsupported character in path ${path}`);
  return `"${path}"`;
}

const echo = (name: string) => `<!--#echo encoding="none" var="${name}" -->`;
/** The page: what mod_ssl concluded about the client certificate, as JSON. */
export const APACHE_ANSWER = `{"engine":"apache","verify":"${echo('SSL_CLIENT_VERIFY')}","subject":"${echo('SSL_CLIENT_S_DN')}","protocol":"${echo('SSL_PROTOCOL')}","h2":"${echo('HTTP2')}"}\n`;

/** The whole httpd.conf for one mode: pure, so it can be printed as it was run. */
export function apacheConfig(input: ApacheConfigInput): string {
  const verify = VERIFY[input.mode];
  if (!verify) throw new Error(`apache cannot express ${input.mode}`);
  const at = (name: string) => quote(join(input.dir, name));
  const modules = input.modules ?? APACHE_MODULES;
  const verifying = verify !== 'none';
  const crl = verifying && input.checkCrl;
  return `# mtls-lab: Apache httpd in ${input.mode}, TLS ${input.tls}
ServerRoot ${quote(input.dir)}
ServerName localhost
PidFile ${at('httpd.pid')}
DefaultRuntimeDir ${quote(input.dir)}
# Through cat to our stderr: /dev/stderr cannot be opened when it is a socket.
ErrorLog "||/bin/cat"
# notice: the start-up line mtls-lab waits for.
LogLevel notice
${MODULES.map(([name, file]) => `LoadModule ${name} ${quote(join(modules, file))}`).join('\n')}
${input.user ? `User ${input.user}\nGroup ${input.user}\n` : ''}StartServers 1
ServerLimit 1
ThreadsPerChild 32
MaxRequestWorkers 32
Listen ${input.host}:${input.port}
SSLSessionCache none
<VirtualHost ${input.host}:${input.port}>
  SSLEngine on
  Protocols h2 http/1.1
  SSLProtocol -all +TLSv${input.tls}
  SSLCertificateFile ${quote(input.files.certChain)}
  SSLCertificateKeyFile ${quote(input.files.key)}
  SSLVerifyClient ${verify}
${verifying ? `  SSLVerifyDepth 3\n  SSLCACertificateFile ${quote(input.files.clientCa)}\n` : ''}${
    crl ? `  SSLCARevocationFile ${quote(input.files.crl)}\n  SSLCARevocationCheck chain\n` : ''
  }  DocumentRoot ${at('www')}
  DirectoryIndex index.shtml
  <Directory ${at('www')}>
    Require all granted
    Options +Includes
    SetOutputFilter INCLUDES
    SSLOptions +StdEnvVars
  </Directory>
</VirtualHost>
`;
}

const OPTIONAL_NO_CA =
  'optional_no_ca, its request-without-verify, forgives only an untrusted issuer: it still refuses expired, not-yet-valid and wrong-EKU certificates';

export const apache = {
  name: 'apache',
  title: 'Apache httpd (mod_ssl SSLVerifyClient)',
  program: APACHE_BINARY,
  package: 'apache2',
  modes: {
    no_client_certs: { setting: 'SSLVerifyClient none' },
    request_client_cert: { setting: 'SSLVerifyClient optional_no_ca' },
    require_any_client_cert: {
      inexpressible:
        'mod_ssl has no require-without-verify: `require` verifies the certificate, and optional_no_ca does not require one',
    },
    verify_client_cert_if_given: { setting: 'SSLVerifyClient optional' },
    require_and_verify_client_cert: { setting: 'SSLVerifyClient require' },
  },
  protocols: {
    tls: 'Apache httpd answers HTTP only',
    https: true,
    h2: true,
    grpc: 'Apache httpd can only proxy gRPC to a backend; it cannot answer a health check itself',
  },
  crl: true,
  deviations: [
    {
      modes: ['request_client_cert'],
      checksCrl: true,
      behaves: { mode: 'verify_client_cert_if_given', forgives: [] },
      reason:
        'optional_no_ca with SSLCARevocationCheck chain forgives nothing: a certificate from an unknown issuer fails with "unable to get certificate CRL", which optional_no_ca does not forgive, so it refuses every certificate that does not verify',
    },
    {
      modes: ['request_client_cert'],
      behaves: { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] },
      reason: OPTIONAL_NO_CA,
    },
  ],
  viewFromAnswer(answer) {
    const found = engineAnswer(answer, 'apache');
    if (!found) return undefined;
    const verify = found.verify ?? 'NONE';
    const h2 = (answer as Record<string, unknown>).h2 === 'on';
    return viewOfAnswer(
      { ...found, alpn: h2 ? 'h2' : 'http/1.1' },
      {
        presented: verify !== 'NONE',
        verified: verify === 'NONE' ? null : verify === 'SUCCESS',
        verifyError: verify.startsWith('FAILED:') ? verify.slice('FAILED:'.length) : null,
      },
    );
  },
  async unavailable() {
    if ((await versionOf(APACHE_BINARY, ['-v'])) === undefined)
      return 'apache2 is not installed (apt-get install apache2)';
    const absent = MODULES.find(([, file]) => !existsSync(join(APACHE_MODULES, file)));
    return absent ? `apache2 has no ${absent[1]} in ${APACHE_MODULES}` : undefined;
  },
  start: (options) =>
    startProgramServer(options, {
      engine: 'apache',
      what: `apache (SSLVerifyClient ${VERIFY[options.mode] ?? '?'})`,
      prepare: async (dir, host, port) => {
        const files = await writeServerFiles(dir, options.pki);
        const www = join(dir, 'www');
        await mkdir(www, { mode: 0o755 });
        await writeFile(join(www, 'index.shtml'), APACHE_ANSWER, { mode: 0o644 });
        // Started as root, Apache serves from an unprivileged user, which must reach the page:
        // the folder becomes traversable, not listable; the key stays 0600.
        const root = process.getuid?.() === 0;
        if (root) await chmod(dir, 0o711);
        const conf = join(dir, 'httpd.conf');
        const config = apacheConfig({
          ...options,
          host,
          port,
          dir,
          files,
          ...(root ? { user: 'www-data' } : {}),
        });
        await writeFile(conf, config);
        return { command: APACHE_BINARY, args: ['-DFOREGROUND', '-f', conf] };
      },
      readyLine: /AH00489|resuming normal operations/,
      portInUse: /could not bind|address already in use/i,
    }),
} as const satisfies EngineDriver<'apache'>;
