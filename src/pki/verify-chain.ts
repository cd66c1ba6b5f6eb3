/**
 * A chain check for `inspect --ca`, in the order and with the error codes of OpenSSL's
 * X509_verify_cert: build the path, check CA flags and purpose, check revocation (every
 * certificate, as Node's CRL_CHECK_ALL does), then validity dates. OpenSSL keeps going after an
 * error when the caller's callback allows it, as Node's does, and a Node server reports the LAST
 * error found; `problems` lists them all, the first being the root cause.
 */
import type { X509Certificate } from 'node:crypto';
import { oneLineName } from './info.js';
import { x509 } from './x509.js';

export type Purpose = 'client' | 'server' | 'any';

export interface ChainProblem {
  code: string;
  depth: number;
  subject: string;
  message: string;
}

export interface ChainCheck {
  ok: boolean;
  purpose: Purpose;
  checkedCrl: boolean;
  /** Subjects from the leaf up to the trust anchor (or as far as the path was built). */
  path: string[];
  problems: ChainProblem[];
  /** What a Node server verifying this chain would give as authorizationError. */
  nodeReports: string | null;
}

export interface ChainInput {
  leaf: X509Certificate;
  intermediates: X509Certificate[];
  trusted: X509Certificate[];
  crls?: Buffer[];
  purpose?: Purpose;
  now?: Date;
}

const EKU = { client: '1.3.6.1.5.5.7.3.2', server: '1.3.6.1.5.5.7.3.1' } as const;
const MAX_DEPTH = 10;

const issuedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
const selfSigned = (cert: X509Certificate) => issuedBy(cert, cert);
const same = (a: X509Certificate, b: X509Certificate) => a.fingerprint256 === b.fingerprint256;

function keyUsageFlags(cert: X509Certificate): number | undefined {
  return new x509.X509Certificate(cert.raw).getExtension(x509.KeyUsagesExtension)?.usages;
}

export async function verifyChain(input: ChainInput): Promise<ChainCheck> {
  const purpose = input.purpose ?? 'any';
  const now = input.now ?? new Date();
  const problems: ChainProblem[] = [];
  const chain: X509Certificate[] = [input.leaf];
  const report = (code: string, depth: number, message: string) =>
    problems.push({ code, depth, subject: oneLineName(chain[depth]?.subject ?? ''), message });

  // 1. Build the path.
  let anchored = false;
  while (chain.length <= MAX_DEPTH) {
    const current = chain[chain.length - 1]!;
    const depth = chain.length - 1;
    if (input.trusted.some((t) => same(t, current))) {
      anchored = true;
      break;
    }
    const anchor = input.trusted.find((t) => issuedBy(current, t));
    if (anchor) {
      chain.push(anchor);
      anchored = true;
      break;
    }
    if (selfSigned(current)) {
      if (depth === 0)
        report('DEPTH_ZERO_SELF_SIGNED_CERT', 0, 'self-signed certificate, and not one of the trusted CAs');
      else
        report(
          'SELF_SIGNED_CERT_IN_CHAIN',
          depth,
          'self-signed certificate in the chain is not one of the trusted CAs',
        );
      break;
    }
    const next = input.intermediates.find((i) => issuedBy(current, i) && !chain.some((c) => same(c, i)));
    if (next) {
      chain.push(next);
      continue;
    }
    const namesake = [...input.trusted, ...input.intermediates].some((c) => c.subject === current.issuer);
    report(
      namesake ? 'CERT_SIGNATURE_FAILURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      depth,
      namesake
        ? `a certificate named ${oneLineName(current.issuer)} is there, but its key did not sign this one`
        : `unable to get local issuer certificate: ${oneLineName(current.issuer)} is neither sent along nor trusted`,
    );
    break;
  }

  // 2. CA flags, path length and purpose.
  chain.forEach((cert, depth) => {
    if (depth > 0 && !cert.ca)
      report('INVALID_CA', depth, 'issues certificates but is not a CA (basicConstraints)');
    const pathLength =
      depth > 1
        ? new x509.X509Certificate(cert.raw).getExtension(x509.BasicConstraintsExtension)?.pathLength
        : undefined;
    if (pathLength !== undefined && depth - 1 > pathLength) {
      report('PATH_LENGTH_EXCEEDED', depth, `allows ${pathLength} CA(s) below it, found ${depth - 1}`);
    }
    if (purpose === 'any') return;
    const eku = cert.keyUsage;
    if (eku && eku.length > 0 && !eku.includes(EKU[purpose])) {
      report('INVALID_PURPOSE', depth, `extended key usage does not allow TLS ${purpose} authentication`);
    } else if (depth === 0) {
      const flags = keyUsageFlags(cert);
      const needed = purpose === 'client' ? 0x01 | 0x10 : 0x01 | 0x04 | 0x10;
      if (flags !== undefined && (flags & needed) === 0) {
        report('INVALID_PURPOSE', 0, `key usage does not allow TLS ${purpose} authentication`);
      }
    }
  });

  // 3. Revocation: every certificate needs a CRL from its issuer.
  if (input.crls) await checkRevocation(chain, input.crls, now, report);

  // 4. Signatures of an unanchored leaf, then validity dates from the top down.
  if (!anchored && chain.length === 1 && !selfSigned(input.leaf)) {
    report('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 0, 'unable to verify the first certificate');
  }
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const cert = chain[depth]!;
    if (now < new Date(cert.validFrom))
      report('CERT_NOT_YET_VALID', depth, `not valid before ${cert.validFrom}`);
    if (now > new Date(cert.validTo)) report('CERT_HAS_EXPIRED', depth, `expired ${cert.validTo}`);
  }

  return {
    ok: problems.length === 0,
    purpose,
    checkedCrl: Boolean(input.crls),
    path: chain.map((cert) => oneLineName(cert.subject)),
    problems,
    nodeReports: problems.at(-1)?.code ?? null,
  };
}

async function checkRevocation(
  chain: X509Certificate[],
  crlDers: Buffer[],
  now: Date,
  report: (code: string, depth: number, message: string) => void,
): Promise<void> {
  const crls = crlDers.map((der) => new x509.X509Crl(der));
  for (const [depth, cert] of chain.entries()) {
    const issuer = chain[depth + 1] ?? (selfSigned(cert) ? cert : undefined);
    const parsed = new x509.X509Certificate(cert.raw);
    const candidates = crls.filter((crl) => crl.issuer === parsed.issuer);
    let found: x509.X509Crl | undefined;
    for (const crl of candidates) {
      if (issuer && (await crl.verify({ publicKey: new x509.X509Certificate(issuer.raw).publicKey })))
        found = crl;
    }
    if (!found) {
      const why = candidates.length > 0 ? 'its signature does not match the issuer' : 'none was given';
      report('UNABLE_TO_GET_CRL', depth, `no CRL from ${oneLineName(cert.issuer)} (${why})`);
      continue;
    }
    if (found.thisUpdate > now) report('CRL_NOT_YET_VALID', depth, 'the CRL is not valid yet');
    if (found.nextUpdate && found.nextUpdate < now) report('CRL_HAS_EXPIRED', depth, 'the CRL has expired');
    const entry = found.findRevoked(parsed);
    if (entry) report('CERT_REVOKED', depth, `revoked on ${entry.revocationDate.toISOString()}`);
  }
}
