/**
 * inspect: what a PEM/DER certificate, key or CRL, or a PKCS#12 file holds, and (given CAs)
 * whether its chain verifies. Anything unreadable is an InputError that names the file.
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { extname } from 'node:path';
import { InputError, messageOf } from '../errors.js';
import {
  type CertificateDetails,
  type CrlDetails,
  describeCertificate,
  describeCrl,
  describeKeyObject,
  type KeyDetails,
} from './describe.js';
import { readInputFile } from './files.js';
import { describeKey } from './info.js';
import { splitPem } from './pem.js';
import { readPkcs12 } from './pkcs12-read.js';
import { type ChainCheck, type Purpose, verifyChain } from './verify-chain.js';
import { DEFAULT_P12_PASSWORD } from './write.js';
import { x509 } from './x509.js';

export type InspectedItem =
  | { kind: 'certificate'; details: CertificateDetails; friendlyName?: string; trusted?: boolean }
  | { kind: 'private-key'; details: KeyDetails }
  | { kind: 'public-key'; details: { keyType: string } }
  | { kind: 'crl'; details: CrlDetails };

export interface InspectedFile {
  path: string;
  format: 'PEM' | 'DER' | 'PKCS#12';
  items: InspectedItem[];
  notes: string[];
  chain?: ChainCheck;
}

export interface InspectOptions {
  /** Password of .p12 files and encrypted keys. */
  password?: string;
  /** File of trusted CA certificates: check each file's chain against it. */
  ca?: string;
  /** File of CRLs to check the chain against (with `ca`). */
  crl?: string;
  purpose?: Purpose;
  now?: Date;
}

/** The raw contents of a file: DER certificates, CRLs and keys, whatever its format. */
interface Contents {
  format: InspectedFile['format'];
  certificates: { der: Buffer; friendlyName?: string; trusted?: boolean }[];
  keys: KeyObject[];
  publicKeys: KeyObject[];
  crls: Buffer[];
  notes: string[];
}

const P12_EXTENSIONS = new Set(['.p12', '.pfx']);

export async function readContents(path: string, password?: string): Promise<Contents> {
  const data = await readInputFile(path);
  if (data.length === 0) throw new InputError(`${path} is empty`);
  if (P12_EXTENSIONS.has(extname(path).toLowerCase())) return readP12(data, path, password);
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN ')) return readPem(text, path, password);
  return readDer(data, path, password);
}

function emptyContents(format: Contents['format']): Contents {
  return { format, certificates: [], keys: [], publicKeys: [], crls: [], notes: [] };
}

function readPem(text: string, path: string, password?: string): Contents {
  const contents = emptyContents('PEM');
  const blocks = splitPem(text);
  const begun = text.match(/-----BEGIN [A-Z0-9 ]+-----/g)?.length ?? 0;
  if (begun > blocks.length) {
    throw new InputError(
      `${path}: PEM block ${blocks.length + 1} is truncated or corrupt (no matching END line)`,
    );
  }
  blocks.forEach((block, index) => {
    const where = `${path}: PEM block ${index + 1} (${block.label})`;
    try {
      switch (block.label) {
        case 'CERTIFICATE':
          new X509Certificate(block.der);
          contents.certificates.push({ der: block.der });
          break;
        case 'X509 CRL':
          new x509.X509Crl(block.der);
          contents.crls.push(block.der);
          break;
        case 'PRIVATE KEY':
        case 'RSA PRIVATE KEY':
        case 'EC PRIVATE KEY':
          contents.keys.push(createPrivateKey(block.pem));
          break;
        case 'ENCRYPTED PRIVATE KEY':
          if (password === undefined)
            throw new InputError(`${where} is encrypted: give its password with --password`);
          contents.keys.push(createPrivateKey({ key: block.pem, passphrase: password }));
          break;
        case 'PUBLIC KEY':
          contents.publicKeys.push(createPublicKey(block.pem));
          break;
        default:
          contents.notes.push(`block ${index + 1} (${block.label}) is not something inspect reads; skipped`);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      const wrongPassword = block.label === 'ENCRYPTED PRIVATE KEY' ? ' (wrong password?)' : '';
      throw new InputError(`${where} is corrupt${wrongPassword}: ${messageOf(error)}`);
    }
  });
  if (blocks.length === 0) throw new InputError(`${path} holds no complete PEM block`);
  return contents;
}

function readDer(data: Buffer, path: string, password?: string): Promise<Contents> | Contents {
  const contents = emptyContents('DER');
  // Each parser throws when the bytes are not its kind; the first that does not, wins.
  const parsers: (() => void)[] = [
    () => {
      new X509Certificate(data);
      contents.certificates.push({ der: data });
    },
    () => {
      new x509.X509Crl(data);
      contents.crls.push(data);
    },
    ...(['pkcs8', 'pkcs1', 'sec1'] as const).map(
      (type) => () => void contents.keys.push(createPrivateKey({ key: data, format: 'der', type })),
    ),
  ];
  for (const parse of parsers) {
    try {
      parse();
      return contents;
    } catch {
      // not this kind; try the next
    }
  }
  return readP12(data, path, password).catch((error: unknown) => {
    if (error instanceof InputError && !/is not a PKCS#12 file/.test(error.message)) throw error;
    throw new InputError(
      `${path} is neither PEM nor a DER certificate, key, CRL or PKCS#12 file (corrupt or truncated?)`,
    );
  });
}

async function readP12(data: Buffer, path: string, password?: string): Promise<Contents> {
  const contents = emptyContents('PKCS#12');
  let read: Awaited<ReturnType<typeof readPkcs12>> | undefined;
  if (password !== undefined) read = await readPkcs12(data, password, path);
  else {
    // No password given: try the JVM convention `gen` uses, then an empty one.
    for (const guess of [DEFAULT_P12_PASSWORD, '']) {
      read = await readPkcs12(data, guess, path).catch((error: unknown) => {
        if (error instanceof InputError && /wrong password/.test(error.message)) return undefined;
        throw error;
      });
      if (read) break;
    }
    if (!read) throw new InputError(`${path} is protected by a password: give it with --password`);
  }
  if (!read.mac) {
    contents.notes.push(
      'no integrity check (MAC): no password protects the file as a whole, and anyone could have altered it',
    );
  }
  for (const cert of read.certificates) {
    contents.certificates.push({
      der: splitPem(cert.pem)[0]!.der,
      ...(cert.friendlyName ? { friendlyName: cert.friendlyName } : {}),
      trusted: cert.trusted,
    });
  }
  for (const pem of read.keys) contents.keys.push(createPrivateKey(pem));
  return contents;
}

async function trustedFrom(path: string, password?: string): Promise<X509Certificate[]> {
  const contents = await readContents(path, password);
  if (contents.certificates.length === 0) throw new InputError(`${path} holds no certificate to trust`);
  return contents.certificates.map((cert) => new X509Certificate(cert.der));
}

async function crlsFrom(path: string): Promise<Buffer[]> {
  const contents = await readContents(path);
  if (contents.crls.length === 0) throw new InputError(`${path} holds no CRL`);
  return contents.crls;
}

export async function inspectFiles(paths: string[], options: InspectOptions = {}): Promise<InspectedFile[]> {
  if (options.crl && !options.ca)
    throw new InputError('--crl needs --ca: a CRL is only checked as part of a chain');
  const trusted = options.ca ? await trustedFrom(options.ca, options.password) : undefined;
  const crls = options.crl ? await crlsFrom(options.crl) : undefined;
  const files: InspectedFile[] = [];
  for (const path of paths) {
    const contents = await readContents(path, options.password);
    const ders = contents.certificates.map((cert) => cert.der);
    const items: InspectedItem[] = [
      ...contents.certificates.map((cert): InspectedItem => {
        const { der, ...extra } = cert;
        return { kind: 'certificate', details: describeCertificate(der, options.now), ...extra };
      }),
      ...contents.keys.map((key): InspectedItem => ({
        kind: 'private-key',
        details: describeKeyObject(key, ders),
      })),
      ...contents.publicKeys.map((key): InspectedItem => ({
        kind: 'public-key',
        details: { keyType: describeKey(key) },
      })),
      ...contents.crls.map((der): InspectedItem => ({ kind: 'crl', details: describeCrl(der, options.now) })),
    ];
    const file: InspectedFile = { path, format: contents.format, items, notes: contents.notes };
    if (trusted) {
      const [leaf, ...intermediates] = ders.map((der) => new X509Certificate(der));
      if (leaf) {
        file.chain = await verifyChain({
          leaf,
          intermediates,
          trusted,
          ...(crls ? { crls } : {}),
          ...(options.purpose ? { purpose: options.purpose } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
      } else file.notes.push('no certificate in this file, so no chain to check');
    }
    files.push(file);
  }
  return files;
}
