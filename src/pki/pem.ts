/** Splitting and recognising PEM text: bundles, CRL lists, keys. */
import type { PkiMaterial } from './types.js';

export interface PemBlock {
  /** The word(s) after BEGIN, e.g. CERTIFICATE, PRIVATE KEY, X509 CRL. */
  label: string;
  /** The block itself, normalised to end with a newline. */
  pem: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Text between blocks (OpenSSL's "Bag Attributes") is ignored. */
export function splitPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [whole, label = '', body = ''] = match;
    blocks.push({ label, pem: `${whole}\n`, der: Buffer.from(body.replace(/\s+/g, ''), 'base64') });
  }
  return blocks;
}

export function pemBlocks(text: string, label: string): string[] {
  return splitPem(text)
    .filter((block) => block.label === label)
    .map((block) => block.pem);
}

/**
 * The PKI's CRLs as a list, ready for Node's `crl` option. Node reads only the FIRST CRL of a
 * PEM string (SecureContext::AddCRL calls PEM_read_bio_X509_CRL once), so passing the
 * concatenated `pki.crl` silently drops the intermediate's CRL and every intermediate-issued
 * client then fails with UNABLE_TO_GET_CRL. An array adds each one.
 */
export function crlList(pki: Pick<PkiMaterial, 'crl'>): string[] {
  return pemBlocks(pki.crl, 'X509 CRL');
}
