/**
 * Ready-to-paste client commands for one identity against a running server: curl (HTTPS,
 * HTTP/2 when curl has it), openssl s_client (raw TLS: type a line, get the view back) and
 * grpcurl (gRPC health check, with the .proto files since the server has no reflection).
 */

/** Files of one identity, as paths the user's shell can read. */
export interface IdentityFiles {
  name: string;
  /** What the client trusts for the server. */
  serverTrust: string;
  /** Leaf first, then any intermediates; absent for an identity without a certificate. */
  chain?: string;
  key?: string;
}

export interface Target {
  host: string;
  port: number;
  /** Folder holding health.proto and lab.proto. */
  protoDir: string;
}

export interface ClientCommands {
  curl: string;
  openssl: string;
  grpcurl: string;
}

const SAFE = /^[\w@%+=:,./-]+$/;

/** POSIX shell quoting, only where needed. */
export function shellQuote(word: string): string {
  return SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const command = (words: string[]) => words.map(shellQuote).join(' ');

export function clientCommands(files: IdentityFiles, target: Target): ClientCommands {
  const ipv6 = target.host.includes(':');
  const hostPort = ipv6 ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const withCert = files.chain && files.key;
  return {
    curl: command([
      'curl',
      // curl reads [ ] as a glob range unless told not to.
      ...(ipv6 ? ['--globoff'] : []),
      '--cacert',
      files.serverTrust,
      ...(withCert ? ['--cert', files.chain!, '--key', files.key!] : []),
      `https://${hostPort}/`,
    ]),
    // -cert alone sends only the first certificate of the file; -cert_chain adds the rest.
    openssl: `echo hello | ${command([
      'openssl',
      's_client',
      '-quiet',
      '-ign_eof',
      '-verify_return_error',
      '-connect',
      hostPort,
      '-CAfile',
      files.serverTrust,
      ...(withCert ? ['-cert', files.chain!, '-cert_chain', files.chain!, '-key', files.key!] : []),
    ])}`,
    grpcurl: command([
      'grpcurl',
      '-cacert',
      files.serverTrust,
      ...(withCert ? ['-cert', files.chain!, '-key', files.key!] : []),
      '-import-path',
      target.protoDir,
      '-proto',
      'health.proto',
      hostPort,
      'grpc.health.v1.Health/Check',
    ]),
  };
}
