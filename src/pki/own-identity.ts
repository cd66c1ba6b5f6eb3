/**
 * Identities the user brings: `--client-cert FILE --client-key FILE [--name N]`, repeatable.
 * Each becomes an IdentityMaterial like the generated ones, its traits computed by inspecting
 * the certificate against the trust the server is given (inspect-traits.ts).
 */
import type { X509Certificate } from 'node:crypto';
import { basename, extname } from 'node:path';
import { InputError, printable, UsageError } from '../errors.js';
import { certificateInfo } from './info.js';
import { type ClientTrust, inspectTraits } from './inspect-traits.js';
import { named, readCertificates, readPrivateKey } from './own-files.js';
import type { IdentityMaterial, IdentityTraits } from './types.js';

export interface OwnIdentityRequest {
  certFile: string;
  keyFile: string;
  /** Default: from the certificate's CN (else the file name). */
  name?: string;
}

/** The files of an identity, read and checked: they parse and the key matches the certificate. */
export interface OwnIdentityFiles {
  name: string;
  certFile: string;
  /** The certificates of the cert file, leaf first: what the client sends. */
  chain: string;
  /** PKCS#8 PEM. */
  key: string;
  leaf: X509Certificate;
}

/** What an identity name may be: usable in --identities lists, reports and file names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

/**
 * Pairs repeated --client-cert / --client-key / --name in the order given: the first cert with
 * the first key (and name), and so on. Counts that differ are bad usage.
 */
export function pairOwnIdentities(
  certs: readonly string[] = [],
  keys: readonly string[] = [],
  names: readonly string[] = [],
): OwnIdentityRequest[] {
  if (certs.length !== keys.length)
    throw new UsageError(
      `--client-cert and --client-key pair up in order, one key per certificate; got ${certs.length} --client-cert and ${keys.length} --client-key.`,
    );
  if (names.length > 0 && names.length !== certs.length)
    throw new UsageError(
      `--name names the --client-cert at the same position; give one per certificate or none: got ${names.length} --name for ${certs.length} --client-cert.`,
    );
  return certs.map((certFile, i) => ({
    certFile,
    keyFile: keys[i]!,
    ...(names[i] !== undefined ? { name: names[i] } : {}),
  }));
}

/** A readable name from the certificate: its CN, made fit for a name; else the file's base name. */
function derivedName(leaf: X509Certificate, certFile: string): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf.subject)?.[1] ?? '';
  const fit = (text: string) =>
    text
      .replace(/[^A-Za-z0-9._@+-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+|-+$/g, '')
      .slice(0, 64);
  return fit(cn) || fit(basename(certFile, extname(certFile))) || 'own';
}

async function readFiles(request: OwnIdentityRequest): Promise<OwnIdentityFiles> {
  if (request.name !== undefined && !NAME.test(request.name))
    throw new UsageError(
      `--name "${printable(request.name)}": a name is 1 to 64 letters, digits and . _ @ + -, starting with a letter or digit.`,
    );
  // One after the other, so that with two bad files the error is always the certificate's.
  const certificates = await readCertificates(request.certFile, '--client-cert', 'client certificate file');
  const key = await readPrivateKey(request.keyFile, '--client-key');
  const leaf = certificates[0]!;
  if (!leaf.checkPrivateKey(key))
    throw new InputError(
      `${named('--client-key', request.keyFile)} does not match ${named('--client-cert', request.certFile)}: the key is not the certificate's (the first certificate in the file is the one sent)`,
    );
  return {
    name: request.name ?? derivedName(leaf, request.certFile),
    certFile: request.certFile,
    chain: certificates.map((cert) => cert.toString()).join(''),
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    leaf,
  };
}

/** Reads every requested identity; names must be unique, also against `taken` (the generated ones). */
export async function readOwnIdentities(
  requests: readonly OwnIdentityRequest[],
  taken: readonly string[],
): Promise<OwnIdentityFiles[]> {
  const files: OwnIdentityFiles[] = [];
  for (const request of requests) files.push(await readFiles(request));
  const seen = new Set(taken);
  for (const file of files) {
    if (seen.has(file.name)) {
      const given = requests.find((r) => r.certFile === file.certFile)?.name !== undefined;
      throw new UsageError(
        `identity name "${printable(file.name)}" (${named('--client-cert', file.certFile)}) is already taken; ` +
          `${given ? 'choose another --name' : 'give it a --name of its own'}. Names in use: ${[...seen].map(printable).join(', ')}.`,
      );
    }
    seen.add(file.name);
  }
  return files;
}

function describe(file: OwnIdentityFiles, traits: IdentityTraits): string {
  const info = certificateInfo(file.leaf);
  const sent = traits.sendsIntermediate ? 'sent with its intermediates' : 'sent alone';
  return `your certificate ${printable(file.certFile)} (${info.subject}, issued by ${info.issuer}), ${sent}`;
}

/** The identity as the clients use it and the oracle judges it, against `trust`. */
export async function ownIdentity(
  file: OwnIdentityFiles,
  trust: ClientTrust,
  serverTrust: string,
): Promise<IdentityMaterial> {
  const traits = await inspectTraits(file.chain, trust);
  return {
    name: file.name,
    description: describe(file, traits),
    cert: file.leaf.toString(),
    key: file.key,
    chain: file.chain,
    serverTrust,
    traits,
    info: certificateInfo(file.leaf),
  };
}
