/**
 * Turns what a client saw (Node errors, HTTP statuses) into observations. Pure functions:
 * they only read the error's code and message, so they can be tested on errors captured
 * from real connections. Nothing is hidden: every failure keeps its raw code and message.
 */

import { receivedAlert } from './tls-alerts.js';
import type { HandshakeObservation, RequestObservation } from './types.js';

export interface ErrorFacts {
  code?: string;
  message: string;
}

/** Code and message of anything thrown; follows `cause` when the outer error is a wrapper. */
export function errorFacts(error: unknown): ErrorFacts {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = (error as { cause?: unknown }).cause;
    // http2 wraps the socket's error ("The pending stream has been canceled (caused by: ...)").
    if (cause instanceof Error && (!code || code === 'ERR_HTTP2_STREAM_CANCEL')) return errorFacts(cause);
    // OpenSSL's messages end with a newline.
    const message = error.message.trim();
    return code ? { code, message } : { message };
  }
  return { message: String(error).trim() };
}

/** Connection closed or reset by the peer without a TLS alert. */
const CLOSED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_SSL_UNEXPECTED_EOF_WHILE_READING',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const CLOSED_MESSAGES = [
  /socket hang up/i,
  /socket disconnected before secure TLS connection was established/i,
  /unexpected eof/i,
  /\bECONNRESET\b/,
  /\bEPIPE\b/,
];

/**
 * The certificate checks a Node client runs on the server's certificate (OpenSSL's X509
 * verify codes plus Node's host name check): failing one is the client refusing the server.
 */
const VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * OpenSSL's text for the same checks, for errors that reach us only as a message (gRPC's
 * details string). Longer phrases first: several are prefixes of others.
 */
const VERIFY_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/unable to get issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/certificate revoked/i, 'CERT_REVOKED'],
  [/unsupported certificate purpose/i, 'INVALID_PURPOSE'],
  [/certificate signature failure/i, 'CERT_SIGNATURE_FAILURE'],
  [/Hostname\/IP does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/key values mismatch/i, 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'],
];

/** The client's own key or certificate cannot be used: it never gets to talk to the server. */
const OWN_MATERIAL_CODE = /^ERR_OSSL_(?:X509_KEY_VALUES_MISMATCH|PEM_|ASN1_|EVP_|UNSUPPORTED|X509_)/;
const OWN_MATERIAL_MESSAGE =
  /key values mismatch|PEM routines|no start line|bad base64 decode|DECODER routines/i;

/** The client's OpenSSL refused the version the server chose: also the client giving up. */
const CLIENT_PROTOCOL_CODES = new Set(['ERR_SSL_UNSUPPORTED_PROTOCOL']);

/** Best code for an error: its own, or one recognised in its message. */
export function codeOf(facts: ErrorFacts): string | undefined {
  if (facts.code) return facts.code;
  for (const [pattern, code] of VERIFY_MESSAGES) if (pattern.test(facts.message)) return code;
  const embedded = /\b(E[A-Z]{3,}|ERR_[A-Z0-9_]+)\b/.exec(facts.message);
  return embedded?.[1];
}

export function isClosed(facts: ErrorFacts): boolean {
  const code = codeOf(facts);
  return (
    (code !== undefined && CLOSED_CODES.has(code)) || CLOSED_MESSAGES.some((re) => re.test(facts.message))
  );
}

export function isClientRefusal(facts: ErrorFacts): boolean {
  const code = codeOf(facts);
  if (code && (VERIFY_CODES.has(code) || CLIENT_PROTOCOL_CODES.has(code) || OWN_MATERIAL_CODE.test(code))) {
    return true;
  }
  return OWN_MATERIAL_MESSAGE.test(facts.message);
}

/** The raw facts every non-ok observation keeps. */
function raw(facts: ErrorFacts): { code?: string; detail: string } {
  const code = codeOf(facts);
  return code ? { code, detail: facts.message } : { detail: facts.message };
}

/** An error seen before the handshake completed (no secureConnect). */
export function classifyHandshakeError(error: unknown): HandshakeObservation {
  const facts = errorFacts(error);
  const alert = receivedAlert(facts.code, facts.message);
  if (alert) return { kind: 'alert', alert, ...raw(facts) };
  // Checked before 'closed': a refusal message may mention the reset that followed it.
  if (isClientRefusal(facts)) return { kind: 'client_error', ...raw(facts) };
  if (isClosed(facts)) return { kind: 'closed', ...raw(facts) };
  return { kind: 'error', ...raw(facts) };
}

/**
 * An error seen after secureConnect, on the request or its first read. Under TLS 1.3 this
 * is where a server's verdict on the client's certificate arrives.
 */
export function classifyRequestError(error: unknown): RequestObservation {
  const facts = errorFacts(error);
  const alert = receivedAlert(facts.code, facts.message);
  if (alert) return { kind: 'alert', alert, ...raw(facts) };
  if (isClosed(facts)) return { kind: 'closed', ...raw(facts) };
  return { kind: 'error', ...raw(facts) };
}

/** The connection ended cleanly (EOF, no alert) before the answer was complete. */
export function closedWithoutAnswer(detail: string): RequestObservation {
  return { kind: 'closed', detail };
}

export function handshakeTimeout(timeoutMs: number): HandshakeObservation {
  return { kind: 'timeout', detail: `no completed handshake within ${timeoutMs} ms` };
}

export function requestTimeout(timeoutMs: number): RequestObservation {
  return { kind: 'timeout', detail: `no answer within ${timeoutMs} ms` };
}

/** The request was not attempted because the handshake failed. */
export function skipped(): RequestObservation {
  return { kind: 'skipped' };
}
