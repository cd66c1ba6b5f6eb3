/**
 * Reading the files of an identity the user brings (--client-cert, --client-key) and of the
 * trust they state (--client-ca, --client-crl). Every file goes through the bounded reader,
 * PEM or DER; every problem is an InputError that names the option and the file.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { InputError, messageOf, printable } from '../errors.js';
import { readInputFile } from './files.js';
import { splitPem } from './pem.js';
import { x509 } from './x509.js';

/** Environment variable holding the password of encrypted --client-key files. */
export const KEY_PASSWORD_ENV = 'MTLS_LAB_CLIENT_KEY_PASSWORD';

/** `--client-cert c.pem`, escaped for a message. */
export const named = (option: string, file: string): string => `${option} ${printable(file)}`;

const looksPem = (data: Buffer) => data.toString('latin1').includes('-----BEGIN ');

/** The certificates of a PEM or DER file, in file order; at least one. */
export async function readCertificates(
  file: string,
  option: string,
  what: string,
): Promise<X509Certificate[]> {
  const where = named(option, file);
  const data = await readInputFile(file, what);
  if (!looksPem(data)) {
    try {
      return [new X509Certificate(data)];
    } catch {
      throw new InputError(`${where}: not a certificate (neither PEM nor a DER certificate)`);
    }
  }
  const blocks = splitPem(data.toString('latin1')).filter((block) => block.label === 'CERTIFICATE');
  if (blocks.length === 0) {
    const key =
      option === '--client-cert' &&
      splitPem(data.toString('latin1')).some((block) => block.label.endsWith('PRIVATE KEY'));
    throw new InputError(
      `${where} holds no PEM certificate${key ? ' but a private key (are --client-cert and --client-key swapped?)' : ''}`,
    );
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block.der);
    } catch (error) {
      throw new InputError(`${where}: certificate ${i + 1} is corrupt: ${messageOf(error)}`);
    }
  });
}

function encrypted(where: string, password: string | undefined): never {
  throw new InputError(
    password === undefined
      ? `${where} is encrypted; give its password in $${KEY_PASSWORD_ENV}, or decrypt it (openssl pkey -in KEY -out PLAIN)`
      : `${where} is encrypted and the password in $${KEY_PASSWORD_ENV} does not open it`,
  );
}

/** The private key of a PEM or DER file; an encrypted one needs $MTLS_LAB_CLIENT_KEY_PASSWORD. */
export async function readPrivateKey(
  file: string,
  option: string,
  password = process.env[KEY_PASSWORD_ENV],
): Promise<KeyObject> {
  const where = named(option, file);
  const data = await readInputFile(file, 'private key file');
  if (!looksPem(data)) {
    for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
      try {
        return createPrivateKey({ key: data, format: 'der', type });
      } catch {
        // not this encoding; try the next
      }
    }
    throw new InputError(`${where}: not a private key (neither PEM nor a DER key)`);
  }
  const blocks = splitPem(data.toString('latin1'));
  const block = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!block) {
    const cert = blocks.some((b) => b.label === 'CERTIFICATE');
    throw new InputError(
      `${where} holds no PEM private key${cert ? ' but a certificate (are --client-cert and --client-key swapped?)' : ''}`,
    );
  }
  const isEncrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.pem);
  if (isEncrypted && password === undefined) encrypted(where, password);
  try {
    return createPrivateKey(isEncrypted ? { key: block.pem, passphrase: password } : block.pem);
  } catch (error) {
    if (isEncrypted) encrypted(where, password);
    throw new InputError(`${where}: the private key is corrupt: ${messageOf(error)}`);
  }
}

/** --client-ca FILE: the CA certificate(s) a server trusts for clients, as PEM. */
export async function readClientCa(file: string): Promise<string> {
  const certificates = await readCertificates(file, '--client-ca', 'client CA file');
  return certificates.map((cert) => cert.toString()).join('');
}

/** --client-crl FILE: CRLs, PEM (one or more) or one DER CRL; returned as PEM. */
export async function readClientCrls(file: string): Promise<string> {
  const where = named('--client-crl', file);
  const data = await readInputFile(file, 'CRL file');
  const ders = looksPem(data)
    ? splitPem(data.toString('latin1'))
        .filter((block) => block.label === 'X509 CRL')
        .map((block) => block.der)
    : [data];
  if (ders.length === 0) throw new InputError(`${where} holds no PEM CRL`);
  return ders
    .map((der, i) => {
      try {
        new x509.X509Crl(der);
        // The label OpenSSL (and so Node's `crl` option) reads; @peculiar/x509 writes "CRL".
        return `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END X509 CRL-----\n`;
      } catch (error) {
        throw new InputError(
          `${where}: ${looksPem(data) ? `CRL ${i + 1}` : 'the file'} is not a readable CRL: ${messageOf(error)}`,
        );
      }
    })
    .join('');
}
