/**
 * TLS alert descriptions (RFC 8446 section 6, plus the RFC 5246 ones 8446 keeps as reserved)
 * and how Node/OpenSSL spell a received alert, so a failure can be named by the alert the
 * peer really sent.
 */

export const TLS_ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const ALERT_NAMES = new Set(Object.values(TLS_ALERTS));

/** OpenSSL's reason strings that do not match the RFC name once lower-cased and joined by '_'. */
const OPENSSL_SPELLINGS: Readonly<Record<string, string>> = {
  user_cancelled: 'user_canceled',
};

/** "...:SSL alert number 116" — OpenSSL appends it when the alert was received from the peer. */
const ALERT_NUMBER = /SSL alert number (\d+)/i;
/**
 * Node turns OpenSSL's reason ("tlsv13 alert certificate required") into a code
 * (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED); a few reasons lack the word ALERT
 * (ERR_SSL_TLSV1_UNRECOGNIZED_NAME).
 */
const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_(?:ALERT_)?([A-Z_]+)$/;
/** The same reason as it appears inside a message, e.g. in a gRPC details string. */
const ALERT_REASON = /(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+?)(?::|$|\s\()/i;

export function alertName(num: number): string {
  return TLS_ALERTS[num] ?? `alert_${num}`;
}

function nameFromWords(words: string): string | undefined {
  const joined = words
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const name = OPENSSL_SPELLINGS[joined] ?? joined;
  return ALERT_NAMES.has(name) ? name : undefined;
}

/**
 * The name of the TLS alert the peer sent, read from a Node error's code or message;
 * undefined when the error is not a received alert.
 */
export function receivedAlert(code: string | undefined, message: string | undefined): string | undefined {
  const byNumber = message ? ALERT_NUMBER.exec(message) : null;
  if (byNumber?.[1]) return alertName(Number(byNumber[1]));
  const byCode = code ? ALERT_CODE.exec(code) : null;
  if (byCode?.[1]) {
    const name = nameFromWords(byCode[1].replace(/_/g, ' '));
    if (name) return name;
  }
  const byReason = message ? ALERT_REASON.exec(message) : null;
  if (byReason?.[1]) return nameFromWords(byReason[1]);
  return undefined;
}
