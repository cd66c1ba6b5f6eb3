/**
 * The node engine has no configuration file: it is Node's own tls, https and http2 servers.
 * What can be printed is the options it passes them, as a module a user can import: rendered
 * from the very function the built-in servers call (servers/tls-options.ts), with each PEM read
 * from a file, and the decision Node cannot express in options said in a comment. Pure.
 */
import { constants as cryptoConstants } from 'node:crypto';
import type { Mode } from '../modes.js';
import { tlsServerOptions } from '../servers/tls-options.js';
import type { TlsVersion } from '../servers/types.js';
import type { ServerFiles } from './program.js';

/** What the built-in servers decide after the handshake, per mode (servers/decide.ts). */
const AFTER_HANDSHAKE: Record<Mode, string> = {
  no_client_certs: 'nothing: no certificate is asked for.',
  request_client_cert: 'nothing: any certificate, or none, is accepted and not judged.',
  require_any_client_cert:
    'a connection without a client certificate (socket.getPeerCertificate() is empty) is destroyed.',
  verify_client_cert_if_given:
    'a connection whose client certificate did not verify (a certificate, and socket.authorized false) is destroyed.',
  require_and_verify_client_cert: 'nothing more: requestCert + rejectUnauthorized refuse natively.',
};

/** Markers that stand for files while the options are built. */
const MARK = '@mtls-lab-file:';
const FAKE_CRL = '-----BEGIN X509 CRL-----\nAA==\n-----END X509 CRL-----\n';

export interface NodeOptionsInput {
  mode: Mode;
  tls: TlsVersion;
  checkCrl: boolean;
  files: Pick<ServerFiles, 'certChain' | 'key' | 'clientCa' | 'crl'>;
}

export function nodeOptionsText(input: NodeOptionsInput): string {
  const options = tlsServerOptions(
    input.mode,
    {
      server: { cert: `${MARK}certChain`, key: `${MARK}key`, chain: `${MARK}certChain` },
      clientCa: `${MARK}clientCa`,
      crl: FAKE_CRL,
    },
    input.tls,
    input.checkCrl,
  );
  const value = (key: string, option: unknown): string => {
    if (typeof option === 'string' && option.startsWith(MARK))
      return `pem(${JSON.stringify(input.files[option.slice(MARK.length) as keyof NodeOptionsInput['files']])})`;
    if (key === 'crl')
      return `pem(${JSON.stringify(input.files.crl)}).match(/-----BEGIN X509 CRL-----[\\s\\S]*?-----END X509 CRL-----/g) ?? []`;
    if (key === 'secureOptions' && option === cryptoConstants.SSL_OP_NO_TICKET)
      return 'constants.SSL_OP_NO_TICKET';
    return JSON.stringify(option);
  };
  const lines = Object.entries(options).map(([key, option]) => {
    const why = key === 'crl' ? '  // Node reads only the first CRL of a PEM string: each on its own.\n' : '';
    return `${why}  ${key}: ${value(key, option)},`;
  });
  return `// mtls-lab's node engine has no configuration file: it is Node's own tls, https and http2
// servers, given these options, in ${input.mode}, TLS ${input.tls}.
// After the handshake it decides: ${AFTER_HANDSHAKE[input.mode]}
import { constants } from 'node:crypto';
import { readFileSync } from 'node:fs';

const pem = (file) => readFileSync(file, 'utf8');

export const options = {
${lines.join('\n')}
};
`;
}
