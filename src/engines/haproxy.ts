/**
 * The `haproxy` engine: one HAProxy (master and worker, -W) per server. Client certificates
 * are set on the `bind` line; HAProxy verifies in OpenSSL's handshake and refuses with an
 * alert there. The modes that do not verify ask with `verify optional|required` and then
 * ignore every verification error (`ca-ignore-err all`, `crt-ignore-err all`). An accepted
 * request is answered by `http-request return` with ssl_c_verify and friends as JSON.
 *
 * | mode                           | bind options                                            |
 * |--------------------------------|---------------------------------------------------------|
 * | no_client_certs                | verify none                                             |
 * | request_client_cert            | verify optional ca-file … ca-ignore-err all crt-ignore-err all |
 * | require_any_client_cert        | verify required ca-file … ca-ignore-err all crt-ignore-err all |
 * | verify_client_cert_if_given    | verify optional ca-file … crl-file …                    |
 * | require_and_verify_client_cert | verify required ca-file … crl-file …                    |
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { TlsVersion } from '../servers/types.js';
import { engineAnswer, viewOfAnswer } from './answer-view.js';
import { type ServerFiles, startProgramServer, versionOf, writeServerFiles } from './program.js';
import { allModes, type EngineDriver } from './types.js';

export const HAPROXY_BINARY = process.env.MTLS_LAB_HAPROXY ?? 'haproxy';

const VERIFY: Record<Mode, string> = {
  no_client_certs: 'verify none',
  request_client_cert: 'verify optional ca-file CA ca-ignore-err all crt-ignore-err all',
  require_any_client_cert: 'verify required ca-file CA ca-ignore-err all crt-ignore-err all',
  verify_client_cert_if_given: 'verify optional ca-file CA',
  require_and_verify_client_cert: 'verify required ca-file CA',
};

export interface HaproxyConfigInput {
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  host: string;
  port: number;
  dir: string;
  files: ServerFiles;
}

/** A path on a bind line: HAProxy splits on spaces and reads quotes and backslashes. */
function path(file: string): string {
  if (/[\s"'\\#]/.test(file)) throw new Error(`haproxy: unsupported character in path ${file}`);
  return file;
}

const ANSWER =
  '{"engine":"haproxy","verify":"%[ssl_c_verify]","used":"%[ssl_c_used]","subject":"%[ssl_c_s_dn]","protocol":"%[ssl_fc_protocol]","alpn":"%[ssl_fc_alpn]"}';

/** The whole haproxy.cfg for one mode: pure, so it can be printed as it was run. */
export function haproxyConfig(input: HaproxyConfigInput): string {
  const version = `TLSv${input.tls}`;
  const verifies = MODE_PROMISES[input.mode].verifies;
  const bind = [
    `bind ${input.host}:${input.port} ssl crt ${path(input.files.certChainKey)}`,
    'alpn h2,http/1.1',
    `ssl-min-ver ${version} ssl-max-ver ${version}`,
    VERIFY[input.mode].replace('CA', path(input.files.clientCa)),
    ...(verifies && input.checkCrl ? [`crl-file ${path(input.files.crl)}`] : []),
  ].join(' ');
  return `# mtls-lab: HAProxy in ${input.mode}, TLS ${input.tls}
global
  pidfile ${path(join(input.dir, 'haproxy.pid'))}
defaults
  mode http
  timeout connect 5s
  timeout client 10s
  timeout server 10s
frontend mtls
  ${bind}
  http-request return status 200 content-type application/json lf-string '${ANSWER}'
`;
}

export const haproxy = {
  name: 'haproxy',
  title: 'HAProxy (bind … verify)',
  program: HAPROXY_BINARY,
  package: 'haproxy',
  modes: allModes((mode) => VERIFY[mode].replace('ca-file CA', 'ca-file …')),
  protocols: {
    tls: 'the engine runs HAProxy in HTTP mode, which answers HTTP only',
    https: true,
    h2: true,
    grpc: 'HAProxy can only proxy gRPC to a backend; it cannot answer a health check itself',
  },
  crl: true,
  deviations: [],
  viewFromAnswer(answer) {
    const found = engineAnswer(answer, 'haproxy');
    const record = answer as Record<string, unknown> | undefined;
    if (!found) return undefined;
    const presented = record?.used === '1';
    // ssl_c_verify is OpenSSL's verify result: 0 when it verified (or nothing was sent).
    const code = found.verify ?? '0';
    return viewOfAnswer(found, {
      presented,
      verified: presented ? code === '0' : null,
      verifyError: presented && code !== '0' ? `X509_V_ERR ${code}` : null,
    });
  },
  async unavailable() {
    const version = await versionOf(HAPROXY_BINARY, ['-v']);
    return version === undefined ? 'haproxy is not installed (apt-get install haproxy)' : undefined;
  },
  start: (options) =>
    startProgramServer(options, {
      engine: 'haproxy',
      what: `haproxy (${VERIFY[options.mode].split(' ').slice(0, 2).join(' ')})`,
      prepare: async (dir, host, port) => {
        const files = await writeServerFiles(dir, options.pki);
        const conf = join(dir, 'haproxy.cfg');
        await writeFile(conf, haproxyConfig({ ...options, host, port, dir, files }));
        // -W: master and worker, which says "Loading success." once it listens; -db: foreground.
        return { command: HAPROXY_BINARY, args: ['-W', '-db', '-f', conf] };
      },
      readyLine: /Loading success\./,
      portInUse: /cannot bind socket|address already in use/i,
    }),
} as const satisfies EngineDriver<'haproxy'>;
