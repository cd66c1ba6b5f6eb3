/**
 * How each client-auth mode becomes Node TLS server options. Node has two switches,
 * `requestCert` and `rejectUnauthorized`; the modes Node cannot express with them alone
 * are finished by a decision after the handshake (see decide.ts).
 *
 * | mode                           | requestCert | rejectUnauthorized | ca + crl            |
 * |--------------------------------|-------------|--------------------|---------------------|
 * | no_client_certs                | false       | false              | none                |
 * | request_client_cert            | true        | false              | ca (names the root) |
 * | require_any_client_cert        | true        | false              | ca (names the root) |
 * | verify_client_cert_if_given    | true        | false              | ca + crl            |
 * | require_and_verify_client_cert | true        | true               | ca + crl            |
 *
 * `ca` in the non-verifying modes only fills the CertificateRequest's list of acceptable
 * CAs (as nginx `optional_no_ca` does); Node's verify callback accepts every certificate
 * unless `rejectUnauthorized` is set, so nothing is refused because of it.
 */
import { constants as cryptoConstants } from 'node:crypto';
import type { TlsOptions } from 'node:tls';
import { MODE_PROMISES, type Mode } from '../modes.js';
import type { TlsVersion } from './types.js';

export type TlsVersionRange = TlsVersion | { min: TlsVersion; max: TlsVersion };

/** What a server needs of a PKI: its own credentials and what it trusts for clients. */
export interface ServerCredentials {
  server: { cert: string; key: string; chain?: string };
  clientCa: string;
  /** PEM, possibly several CRLs concatenated. */
  crl?: string;
}

export function versionRange(tls: TlsVersionRange | undefined): { min: TlsVersion; max: TlsVersion } {
  if (tls === undefined) return { min: '1.2', max: '1.3' };
  return typeof tls === 'string' ? { min: tls, max: tls } : tls;
}

const nodeVersion = (version: TlsVersion): 'TLSv1.2' | 'TLSv1.3' =>
  version === '1.2' ? 'TLSv1.2' : 'TLSv1.3';

/**
 * Node's `crl` option reads only the FIRST CRL of a PEM string (SecureContext::AddCRL calls
 * PEM_read_bio_X509_CRL once), and OpenSSL then checks every certificate of the chain
 * (X509_V_FLAG_CRL_CHECK_ALL), so each CRL must be handed over on its own.
 */
export function splitPem(pem: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return pem.match(pattern) ?? [];
}

export function tlsServerOptions(
  mode: Mode,
  credentials: ServerCredentials,
  tls: TlsVersionRange | undefined,
  checkCrl: boolean,
): TlsOptions {
  const promise = MODE_PROMISES[mode];
  const { min, max } = versionRange(tls);
  const crls = checkCrl && promise.verifies ? splitPem(credentials.crl ?? '', 'X509 CRL') : [];
  return {
    cert: credentials.server.chain ?? credentials.server.cert,
    key: credentials.server.key,
    minVersion: nodeVersion(min),
    maxVersion: nodeVersion(max),
    ALPNProtocols: ['h2', 'http/1.1'],
    requestCert: promise.requests,
    // Only the one mode Node can enforce natively: a missing certificate is then refused
    // inside the handshake, an unverifiable one right after it (by Node's own 'secure' handler).
    rejectUnauthorized: promise.requires && promise.verifies,
    ...(promise.requests ? { ca: credentials.clientCa } : {}),
    ...(crls.length > 0 ? { crl: crls } : {}),
    // Every connection does a full handshake, so every cell really exchanges certificates
    // (a resumed TLS 1.2 session would carry the previous peer certificate without sending it).
    secureOptions: cryptoConstants.SSL_OP_NO_TICKET,
    // A client that connects and stalls must not hold the port: Node's default is 120 s.
    handshakeTimeout: 10_000,
  };
}
