/**
 * nginx as a real TLS terminator: one server block on 127.0.0.1 whose answer names what nginx
 * concluded about the client certificate ($ssl_client_verify), so a refusal is nginx's own
 * 400 page ("No required SSL certificate was sent" / "The SSL certificate error") and an
 * acceptance is 200. Everything nginx writes (pid, temp paths) goes to a fresh temp dir; it
 * runs in the foreground (daemon off) so the child we spawn is the master itself.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onFreePort, PortInUse, waitForTcp } from './net.js';
import { closer, fixtureDir, type GroupChild, HOST, removeDir, spawnGroup } from './process.js';
import { type RealServer, type TlsChoice, tlsLabel } from './types.js';

export const NGINX_BINARY = process.env.MTLS_LAB_NGINX ?? 'nginx';

/** nginx's own names: off, optional, optional_no_ca (verifies but forgives an unknown issuer), on. */
export type NginxVerify = 'off' | 'optional' | 'optional_no_ca' | 'on';

export interface StartNginxOptions {
  /** A folder written by writePki(). */
  pkiDir: string;
  verify: NginxVerify;
  /** ssl_crl crl.pem: refuse the revoked identity. */
  crl: boolean;
  tls: TlsChoice;
}

const PROTOCOLS: Record<TlsChoice, string> = {
  '1.2': 'TLSv1.2',
  '1.3': 'TLSv1.3',
  both: 'TLSv1.2 TLSv1.3',
};

export function nginxLabel(options: Pick<StartNginxOptions, 'verify' | 'crl' | 'tls'>): string {
  return `nginx ssl_verify_client ${options.verify}${options.crl ? ' + ssl_crl' : ''}, ${tlsLabel(options.tls)}`;
}

/** A path as an nginx string literal; ssl_* paths may hold variables, so `$` is refused too. */
function quote(path: string): string {
  if (/["\\$\s]/.test(path)) throw new Error(`nginx fixture: unsupported character in path ${path}`);
  return `"${path}"`;
}

export function nginxConfig(dir: string, port: number, options: StartNginxOptions): string {
  const pki = (file: string) => quote(join(options.pkiDir, file));
  const inDir = (name: string) => quote(join(dir, name));
  const verifying = options.verify !== 'off';
  return `# mtls-lab test fixture: ${nginxLabel(options)}
daemon off;
master_process on;
worker_processes 1;
pid ${inDir('nginx.pid')};
# notice: the startup lines the fixture waits for, and bind errors; refusals are info, not shown.
error_log stderr notice;
events { worker_connections 64; }
http {
  access_log off;
  default_type text/plain;
  client_body_temp_path ${inDir('client_body_temp')};
  proxy_temp_path ${inDir('proxy_temp')};
  fastcgi_temp_path ${inDir('fastcgi_temp')};
  uwsgi_temp_path ${inDir('uwsgi_temp')};
  scgi_temp_path ${inDir('scgi_temp')};
  server {
    listen ${HOST}:${port} ssl http2;
    ssl_certificate ${pki('server/server-chain.pem')};
    ssl_certificate_key ${pki('server/server.key')};
    ssl_protocols ${PROTOCOLS[options.tls]};
    ssl_verify_client ${options.verify};
${verifying ? `    ssl_client_certificate ${pki('ca/root.crt')};\n    ssl_verify_depth 3;\n` : ''}${
    options.crl ? `    ssl_crl ${pki('crl.pem')};\n` : ''
  }    location / {
      return 200 "ok verify=$ssl_client_verify dn=$ssl_client_s_dn\\n";
    }
  }
}
`;
}

/**
 * The master (root) reads the 0600 keys before it forks; the worker runs as nginx's default
 * unprivileged user and needs none of the files, since `return` touches no temp path.
 */
export async function startNginx(options: StartNginxOptions): Promise<RealServer> {
  const label = nginxLabel(options);
  const dir = await fixtureDir();
  try {
    return await onFreePort(async (port) => {
      const conf = join(dir, 'nginx.conf');
      await writeFile(conf, nginxConfig(dir, port, options));
      // -e stderr: before it reads the config, nginx would open /var/log/nginx/error.log.
      const child: GroupChild = spawnGroup(NGINX_BINARY, ['-p', `${dir}/`, '-c', conf, '-e', 'stderr']);
      try {
        // The master logs "start worker process N" (notice) after it has bound the port; a lost
        // port shows as a bind() error at once (nginx would retry it for 2.5 s before exiting).
        // Waiting for that line, not only for a TCP connect, keeps a port taken by some other
        // process from passing as nginx being ready.
        const started = await child.waitFor(
          'stderr',
          /start worker process \d+|address already in use/i,
          label,
        );
        if (/address already in use/i.test(started[0])) {
          throw new PortInUse(`${label}: port ${port} is taken: ${child.stderr().trim()}`);
        }
        await waitForTcp(child, port, label);
      } catch (error) {
        await child.stop();
        throw error;
      }
      return { kind: 'nginx', label, host: HOST, port, pid: child.pid, close: closer({ child, dir }) };
    });
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}
