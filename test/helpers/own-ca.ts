/**
 * A user's own CA and client certificates, made with the real `openssl` command line (not with
 * mtls-lab's generator), as someone bringing their own identity would have them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface OwnCa {
  dir: string;
  /** The CA certificate (PEM): what a server that trusts "our CA" is given. */
  ca: string;
  /** Issues a client certificate; returns the paths of its PEM certificate and key. */
  issue(name: string, options?: IssueOptions): Promise<{ cert: string; key: string }>;
  /** Revokes a certificate issued here and writes the CA's CRL; returns its path. */
  revoke(cert: string): Promise<string>;
  /** Writes the CA's current CRL (nothing revoked yet, or what was); returns its path. */
  crl(): Promise<string>;
}

export interface IssueOptions {
  /** Validity in the past (2000 to 2001). */
  expired?: boolean;
  /** Extended key usage; default clientAuth. */
  eku?: 'clientAuth' | 'serverAuth';
  /** Common name; default the name. */
  cn?: string;
}

const openssl = (args: string[], cwd: string) => execa('openssl', args, { cwd, timeout: 30_000 });

export async function makeOwnCa(dir: string): Promise<OwnCa> {
  const config = join(dir, 'ca.cnf');
  await writeFile(
    config,
    [
      '[ ca ]',
      'default_ca = own',
      '[ own ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'certificate = $dir/ca.pem',
      'private_key = $dir/ca.key',
      'serial = $dir/serial',
      'crlnumber = $dir/crlnumber',
      'default_md = sha256',
      'default_crl_days = 30',
      'policy = any',
      'unique_subject = no',
      '[ any ]',
      'commonName = supplied',
      '[ clientAuth ]',
      'basicConstraints = CA:FALSE',
      'extendedKeyUsage = clientAuth',
      '[ serverAuth ]',
      'basicConstraints = CA:FALSE',
      'extendedKeyUsage = serverAuth',
      '',
    ].join('\n'),
  );
  await Promise.all([
    writeFile(join(dir, 'index.txt'), ''),
    writeFile(join(dir, 'serial'), '1000\n'),
    writeFile(join(dir, 'crlnumber'), '01\n'),
  ]);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      '/CN=Our Own CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const crl = async () => {
    await openssl(['ca', '-config', config, '-gencrl', '-out', 'ca.crl'], dir);
    return join(dir, 'ca.crl');
  };
  // `openssl ca` rewrites its serial and index files: one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    issue: (name, options = {}) => serially(() => issue(name, options)),
    revoke: (cert) =>
      serially(async () => {
        await openssl(['ca', '-config', config, '-revoke', cert], dir);
        return crl();
      }),
    crl: () => serially(crl),
  };

  async function issue(name: string, options: IssueOptions) {
    const key = join(dir, `${name}.key`);
    const cert = join(dir, `${name}.pem`);
    await openssl(
      ['req', ...ec, '-keyout', key, '-out', `${name}.csr`, '-subj', `/CN=${options.cn ?? name}`],
      dir,
    );
    const dates = options.expired
      ? ['-startdate', '20000101000000Z', '-enddate', '20010101000000Z']
      : ['-days', '30'];
    await openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        config,
        '-extensions',
        options.eku ?? 'clientAuth',
        '-in',
        `${name}.csr`,
        '-out',
        cert,
        ...dates,
      ],
      dir,
    );
    return { cert, key };
  }
}
