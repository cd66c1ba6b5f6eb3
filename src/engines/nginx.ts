/**
 * The `nginx` engine: one nginx master (and its worker) per server, configured natively with
 * ssl_verify_client, ssl_client_certificate and ssl_crl. nginx never refuses a client
 * certificate in the handshake: it completes it, and its HTTP layer answers 400. An accepted
 * request is answered with nginx's own variables as JSON, read into the server's view.
 *
 * | mode                           | ssl_verify_client                                        |
 * |--------------------------------|----------------------------------------------------------|
 * | no_client_certs                | off                                                      |
 * | request_client_cert            | optional_no_ca (still refuses expired, revoked, ...)      |
 * | require_any_client_cert        | none: `on` verifies, optional_no_ca does not require      |
 * | verify_client_cert_if_given    | optional                                                 |
 * | require_and_verify_client_cert | on                                                       |
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mode } from '../modes.js';
import type { TlsVersion } from '../servers/types.js';
import { engineAnswer, viewOfAnswer } from './answer-view.js';
import { startProgramServer, versionOf, writeServerFiles, type ServerFiles } from './program.js';
import type { EngineDriver } from './types.js';

export const NGINX_BINARY = process.env.MTLS_LAB_NGINX ?? 'nginx';

const VERIFY: Record<Mode, string | undefined> = {
  no_client_certs: 'off',
  request_client_cert: 'optional_no_ca',
  require_any_client_cert: undefined,
  verify_client_cert_if_given: 'optional',
  require_and_verify_client_cert: 'on',
};

export interface NginxConfigInput {
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  host: string;
  port: number;
  /** The engine's folder: pid file and temp paths. */
  dir: string;
  files: ServerFiles;
}

/** A path as an nginx string; ssl_* paths may hold variables, so `$` is refused too. */
function quote(path: string): string {
  if (/["\\$\s;{}]/.test(path)) throw new Error(`nginx: unsupported character in path ${path}`);
  return `"${path}"`;
}

/** The answer: what nginx concluded about the client certificate, as JSON. */
const ANSWER =
  '{"engine":"nginx","verify":"$ssl_client_verify","subject":"$ssl_client_s_dn","protocol":"$ssl_protocol","alpn":"$ssl_alpn_protocol"}';

/** The whole nginx.conf for one mode: pure, so it can be printed as it was run. */
export function nginxConfig(input: NginxConfigInput): string {
  const verify = VERIFY[input.mode];
  if (!verify) throw new Error(`nginx cannot express ${input.mode}`);
  const at = (name: string) => quote(join(input.dir, name));
  const verifying = verify !== 'off';
  return `# mtls-lab: nginx in ${input.mode}, TLS ${input.tls}
daemon off;
master_process on;
worker_processes 1;
pid ${at('nginx.pid')};
# notice: the start-up line mtls-lab waits for; refusals are logged at info, not shown.
error_log stderr notice;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${at('client_body_temp')};
  proxy_temp_path ${at('proxy_temp')};
  fastcgi_temp_path ${at('fastcgi_temp')};
  uwsgi_temp_path ${at('uwsgi_temp')};
  scgi_temp_path ${at('scgi_temp')};
  server {
    listen ${input.host}:${input.port} ssl http2;
    ssl_certificate ${quote(input.files.certChain)};
    ssl_certificate_key ${quote(input.files.key)};
    ssl_protocols TLSv${input.tls};
    ssl_verify_client ${verify};
${verifying ? `    ssl_client_certificate ${quote(input.files.clientCa)};\n    ssl_verify_depth 3;\n` : ''}${
    input.checkCrl && verifying ? `    ssl_crl ${quote(input.files.crl)};\n` : ''
  }    location / {
      default_type application/json;
      return 200 '${ANSWER}\\n';
    }
  }
}
`;
}

const HTTP_400 = 'refuses with HTTP 400 after completing the handshake, never with a TLS alert';

export const nginx = {
  name: 'nginx',
  title: 'nginx (ssl_verify_client)',
  program: NGINX_BINARY,
  package: 'nginx',
  modes: {
    no_client_certs: { setting: 'ssl_verify_client off' },
    request_client_cert: { setting: 'ssl_verify_client optional_no_ca' },
    require_any_client_cert: {
      inexpressible:
        'nginx has no require-without-verify: `on` verifies the certificate, and optional_no_ca does not require one',
    },
    verify_client_cert_if_given: { setting: 'ssl_verify_client optional' },
    require_and_verify_client_cert: { setting: 'ssl_verify_client on' },
  },
  protocols: {
    tls: "nginx's http server answers HTTP only; raw TLS would need the stream module",
    https: true,
    h2: true,
    grpc: 'nginx can only proxy gRPC to a backend; it cannot answer a health check itself',
  },
  crl: true,
  deviations: [
    { refusedBy: 'application', reason: HTTP_400 },
    {
      modes: ['request_client_cert'],
      behaves: { mode: 'verify_client_cert_if_given', forgives: ['untrusted-issuer'] },
      reason:
        'optional_no_ca, its request-without-verify, forgives only an untrusted issuer: it still refuses expired, not-yet-valid, wrong-EKU and revoked certificates, and with ssl_crl a self-signed one (no CRL can vouch for it)',
    },
  ],
  viewFromAnswer(answer) {
    const found = engineAnswer(answer, 'nginx');
    if (!found) return undefined;
    const verify = found.verify ?? 'NONE';
    return viewOfAnswer(found, {
      presented: verify !== 'NONE',
      verified: verify === 'NONE' ? null : verify === 'SUCCESS',
      verifyError: verify.startsWith('FAILED:') ? verify.slice('FAILED:'.length) : null,
    });
  },
  async unavailable() {
    // nginx -V prints its build flags on stderr; the engine needs TLS and HTTP/2.
    const flags = await versionOf(NGINX_BINARY, ['-V']);
    if (flags === undefined) return 'nginx is not installed (apt-get install nginx)';
    for (const module of ['http_ssl_module', 'http_v2_module'])
      if (!flags.includes(`--with-${module}`)) return `nginx was built without ${module}`;
    return undefined;
  },
  start: (options) =>
    startProgramServer(options, {
      engine: 'nginx',
      what: `nginx (${VERIFY[options.mode] ?? '?'})`,
      prepare: async (dir, host, port) => {
        const files = await writeServerFiles(dir, options.pki);
        const conf = join(dir, 'nginx.conf');
        await writeFile(conf, nginxConfig({ ...options, host, port, dir, files }));
        // -e stderr: before reading its configuration nginx would open /var/log/nginx/error.log.
        return { command: NGINX_BINARY, args: ['-p', `${dir}/`, '-c', conf, '-e', 'stderr'] };
      },
      // Logged after the port is bound; a lost port shows as a bind() error at once.
      readyLine: /start worker process \d+/,
      portInUse: /address already in use/i,
    }),
} as const satisfies EngineDriver<'nginx'>;
