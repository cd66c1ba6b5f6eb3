/**
 * The `caddy` engine: Go's crypto/tls inside a real gateway, the stack of RoadRunner and
 * Runway, without a Go toolchain. One `caddy run` per server, from a JSON configuration (more
 * precise than a Caddyfile): client_authentication names Go's own modes, the admin endpoint
 * is off, automatic HTTPS is off and no certificate is ever fetched, and every file Caddy
 * keeps (its data and config folders) is in the server's folder. An accepted request is
 * answered with Caddy's {http.request.tls.*} placeholders as JSON.
 *
 * | mode                           | client_authentication.mode |
 * |--------------------------------|----------------------------|
 * | no_client_certs                | (no client_authentication) |
 * | request_client_cert            | request                    |
 * | require_any_client_cert        | require                    |
 * | verify_client_cert_if_given    | verify_if_given            |
 * | require_and_verify_client_cert | require_and_verify         |
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { TlsVersion } from '../servers/types.js';
import { engineAnswer, viewOfAnswer } from './answer-view.js';
import { type ServerFiles, startProgramServer, versionOf, writeServerFiles } from './program.js';
import { allModes, type EngineDriver } from './types.js';

export const CADDY_BINARY = process.env.MTLS_LAB_CADDY ?? 'caddy';

const CLIENT_AUTH: Record<Mode, string | undefined> = {
  no_client_certs: undefined,
  request_client_cert: 'request',
  require_any_client_cert: 'require',
  verify_client_cert_if_given: 'verify_if_given',
  require_and_verify_client_cert: 'require_and_verify',
};

export interface CaddyConfigInput {
  mode: Mode;
  tls: TlsVersion;
  host: string;
  port: number;
  dir: string;
  files: ServerFiles;
}

const ANSWER =
  '{"engine":"caddy","subject":"{http.request.tls.client.subject}","protocol":"{http.request.tls.version}","alpn":"{http.request.tls.proto}"}\n';

/** The whole Caddy JSON configuration for one mode: pure, so it can be printed as it was run. */
export function caddyConfig(input: CaddyConfigInput): string {
  const mode = CLIENT_AUTH[input.mode];
  const version = `tls${input.tls}`;
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'INFO', writer: { output: 'stderr' } } } },
    storage: { module: 'file_system', root: join(input.dir, 'data') },
    apps: {
      tls: {
        certificates: {
          load_files: [{ certificate: input.files.certChain, key: input.files.key, tags: ['mtls-lab'] }],
        },
      },
      http: {
        servers: {
          mtls: {
            listen: [`${input.host}:${input.port}`],
            protocols: ['h1', 'h2'],
            automatic_https: { disable: true },
            // Caddy turns this on with client authentication and then answers 421 to a client
            // whose Host (127.0.0.1) is no SNI name: clients send no SNI for an IP address.
            strict_sni_host: false,
            tls_connection_policies: [
              {
                certificate_selection: { any_tag: ['mtls-lab'] },
                protocol_min: version,
                protocol_max: version,
                ...(mode
                  ? {
                      client_authentication: {
                        mode,
                        ...(MODE_PROMISES[input.mode].verifies
                          ? { trusted_ca_certs_pem_files: [input.files.clientCa] }
                          : {}),
                      },
                    }
                  : {}),
              },
            ],
            routes: [
              {
                handle: [
                  {
                    handler: 'static_response',
                    status_code: 200,
                    headers: { 'Content-Type': ['application/json'] },
                    body: ANSWER,
                  },
                ],
              },
            ],
          },
        },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export const caddy = {
  name: 'caddy',
  title: "Caddy (Go's crypto/tls, client_authentication)",
  program: CADDY_BINARY,
  package: 'caddy',
  modes: allModes((mode) => `client_authentication.mode ${CLIENT_AUTH[mode] ?? '(none)'}`),
  protocols: {
    tls: "Caddy's http app answers HTTP only",
    https: true,
    h2: true,
    grpc: 'Caddy can only proxy gRPC to a backend; it cannot answer a health check itself',
  },
  crl: "Caddy, like Go's crypto/tls, has no CRL checking",
  deviations: [],
  viewFromAnswer(answer, mode) {
    const found = engineAnswer(answer, 'caddy');
    if (!found) return undefined;
    const presented = found.subject !== undefined;
    // Caddy has no verification placeholder: a certificate that got through a verifying mode verified.
    const verifies = MODE_PROMISES[mode].verifies;
    return viewOfAnswer(found, {
      presented,
      verified: presented && verifies ? true : null,
      verifyError: null,
    });
  },
  async unavailable() {
    const version = await versionOf(CADDY_BINARY, ['version']);
    return version === undefined ? 'caddy is not installed (apt-get install caddy)' : undefined;
  },
  start: (options) =>
    startProgramServer(options, {
      engine: 'caddy',
      what: `caddy (${CLIENT_AUTH[options.mode] ?? 'no client_authentication'})`,
      prepare: async (dir, host, port) => {
        const files = await writeServerFiles(dir, options.pki);
        const conf = join(dir, 'caddy.json');
        await writeFile(conf, caddyConfig({ ...options, host, port, dir, files }));
        // Caddy keeps data and an autosaved config under HOME / XDG: all of it in the folder.
        const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
        return { command: CADDY_BINARY, args: ['run', '--config', conf, '--adapter', ''], env };
      },
      readyLine: /serving initial configuration/,
      portInUse: /address already in use/i,
    }),
} as const satisfies EngineDriver<'caddy'>;
