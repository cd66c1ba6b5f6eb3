/** Splitting and recognising PEM text: bundles, CRL lists, keys. */
import type { PkiMaterial } from './types.js';

export interface PemBlock {
  /** The word(s) after BEGIN, e.g. CERTIFICATE, PRIVATE KEY, X509 CRL. */
  label: string;
  /** The block itself, normalised to end with a newline. */
  pem: string;
  der: Buffer;
}

const BEGIN_MARK = '-----BEGIN ';
/** A BEGIN line, matched only where one starts (sticky): the label holds no dash, so no backtracking run. */
const BEGIN_LINE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n/y;

/**
 * Every PEM block in `text`, in order. Text between blocks (OpenSSL's "Bag Attributes") is
 * ignored, and so is a BEGIN line with no matching END line before the next `-----`.
 *
 * Linear in the length of the text: the scan only moves forward, and each character is looked
 * at a bounded number of times. (A regular expression with a lazy body and a back-reference
 * rescans the rest of the text for every unterminated BEGIN line: quadratic.)
 */
export function splitPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let position = 0;
  for (;;) {
    const start = text.indexOf(BEGIN_MARK, position);
    if (start < 0) break;
    BEGIN_LINE.lastIndex = start;
    const begin = BEGIN_LINE.exec(text);
    if (!begin) {
      position = start + BEGIN_MARK.length;
      continue;
    }
    const label = begin[1] ?? '';
    const bodyStart = BEGIN_LINE.lastIndex;
    // The body is base64 (and RFC 1421 headers): the first `-----` after it must be our END.
    const dashes = text.indexOf('-----', bodyStart);
    if (dashes < 0) break;
    const end = `-----END ${label}-----`;
    if (!text.startsWith(end, dashes)) {
      position = dashes;
      continue;
    }
    const body = text.slice(bodyStart, dashes);
    blocks.push({
      label,
      pem: `${text.slice(start, dashes + end.length)}\n`,
      der: Buffer.from(body.replace(/\s+/g, ''), 'base64'),
    });
    position = dashes + end.length;
  }
  return blocks;
}

/** How many BEGIN lines `text` holds (complete blocks or not), counted in one linear pass. */
export function countBeginLines(text: string): number {
  let count = 0;
  let position = 0;
  for (;;) {
    const start = text.indexOf(BEGIN_MARK, position);
    if (start < 0) return count;
    BEGIN_LINE.lastIndex = start;
    if (BEGIN_LINE.exec(text)) count++;
    position = start + BEGIN_MARK.length;
  }
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
