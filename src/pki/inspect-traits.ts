/**
 * An identity's traits computed by inspecting its certificate, so that the oracle judges a
 * certificate the user brought exactly as it judges the generated ones: against the CAs the
 * server trusts and the CRLs at hand, with OpenSSL's checks in OpenSSL's order
 * (verify-chain.ts). Pure apart from the clock (`now`).
 */
import { X509Certificate } from 'node:crypto';
import { splitPem } from './pem.js';
import type { IdentityTraits, InspectedTrust } from './types.js';
import { type ChainCheck, type ChainProblem, verifyChain } from './verify-chain.js';

/** What a server trusts for client certificates, and the CRLs at hand. */
export interface ClientTrust {
  /** PEM CA certificates the server trusts; null when nobody said (a target without --client-ca). */
  cas: string | null;
  /** PEM CRLs at hand, concatenated (may be empty). */
  crls: string;
  /** Where the CAs come from, in words, for reasons: "--client-ca ca.pem", "the PKI's client CA". */
  source: string;
  now?: Date;
}

/** Codes that mean the leaf does not build a path to a trusted CA. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
]);
/** Codes that mean a server checking only these CRLs cannot vouch for the path. */
const NO_CRL = new Set(['UNABLE_TO_GET_CRL', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED']);

const has = (check: ChainCheck, codes: ReadonlySet<string> | string) =>
  check.problems.some((p) => (typeof codes === 'string' ? p.code === codes : codes.has(p.code)));

const certificatesOf = (pem: string): X509Certificate[] =>
  splitPem(pem)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => new X509Certificate(block.der));

function untrustedWhy(problem: ChainProblem | undefined, source: string): string {
  if (!problem) return `it does not chain to ${source}`;
  if (problem.code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
    return `self-signed, and not one of the CAs in ${source}`;
  return `${problem.message} (the server trusts ${source})`;
}

/**
 * Traits of the certificate chain `chainPem` (leaf first, then what the client sends along)
 * at a server trusting `trust`. With no trust known the leaf counts as untrusted and
 * `inspected.trust` is null, so whoever judges it must leave that open.
 */
export async function inspectTraits(chainPem: string, trust: ClientTrust): Promise<IdentityTraits> {
  const [leaf, ...intermediates] = certificatesOf(chainPem);
  if (!leaf) throw new Error('inspectTraits needs at least one certificate');
  const trusted = trust.cas === null ? [] : certificatesOf(trust.cas);
  const crls = splitPem(trust.crls)
    .filter((block) => block.label === 'X509 CRL')
    .map((block) => block.der);
  const base = {
    leaf,
    intermediates,
    trusted,
    purpose: 'client' as const,
    ...(trust.now ? { now: trust.now } : {}),
  };
  const plain = await verifyChain(base);
  const withCrl = crls.length > 0 ? await verifyChain({ ...base, crls }) : undefined;
  const selfSigned = leaf.issuer === leaf.subject && leaf.verify(leaf.publicKey);
  const anchored = trust.cas !== null && !has(plain, UNTRUSTED);
  const revocationKnown = withCrl !== undefined && !has(withCrl, NO_CRL);
  const inspected: InspectedTrust = {
    trust: trust.cas === null ? null : trust.source,
    untrustedWhy:
      trust.cas === null || anchored
        ? null
        : untrustedWhy(
            plain.problems.find((p) => UNTRUSTED.has(p.code)),
            trust.source,
          ),
    revocationKnown,
    crlMissing: withCrl === undefined || has(withCrl, NO_CRL),
  };
  return {
    presents: true,
    issuer: selfSigned ? 'self' : anchored ? 'root' : 'unrelated',
    sendsIntermediate: intermediates.length > 0,
    chainsToClientCa: anchored,
    validity: has(plain, 'CERT_HAS_EXPIRED')
      ? 'expired'
      : has(plain, 'CERT_NOT_YET_VALID')
        ? 'not-yet-valid'
        : 'current',
    clientAuthEku: !has(plain, 'INVALID_PURPOSE'),
    revoked: withCrl !== undefined && has(withCrl, 'CERT_REVOKED'),
    trustsServer: true,
    // Only meaningful against a known trust, as a Node server would report it.
    verifyError: trust.cas === null ? null : ((withCrl ?? plain).nodeReports ?? null),
    verifyErrorWithoutCrl: trust.cas === null ? null : plain.nodeReports,
    inspected,
  };
}

/**
 * A generated identity judged against another trust (--client-ca): what it is stays as its
 * spec says (issuer, validity, EKU), whether it chains there and whether it is revoked is
 * inspected.
 */
export async function retrust(traits: IdentityTraits, chainPem: string | undefined, trust: ClientTrust) {
  if (!traits.presents || chainPem === undefined) return traits;
  const seen = await inspectTraits(chainPem, trust);
  return {
    ...traits,
    chainsToClientCa: seen.chainsToClientCa,
    revoked: seen.revoked,
    verifyError: seen.verifyError,
    verifyErrorWithoutCrl: seen.verifyErrorWithoutCrl,
    inspected: seen.inspected!,
  } satisfies IdentityTraits;
}
