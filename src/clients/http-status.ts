/**
 * What an HTTP status says about the client certificate, as data. Real servers refuse a
 * certificate in the application as well as in TLS: nginx completes the handshake and answers
 * 400, 495 or 496; gateways answer 401 or 403; Go and Caddy answer 421 when the connection's
 * name is not theirs. Any other answer shows the request got through; a 5xx shows nothing.
 */
import type { RequestObservation } from './types.js';

export const REFUSAL_STATUSES: ReadonlyMap<number, string> = new Map([
  [400, 'bad request (nginx answers 400 when a required client certificate is missing or bad)'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [421, 'misdirected request (the server will not answer this connection)'],
  [495, 'nginx: the client certificate failed verification'],
  [496, 'nginx: no client certificate was sent'],
]);

export function classifyHttpStatus(status: number): RequestObservation {
  const label = `HTTP ${status}`;
  const base = { status: label, httpStatus: status };
  if (status >= 200 && status < 300) return { kind: 'ok', ...base };
  const refusal = REFUSAL_STATUSES.get(status);
  if (refusal) return { kind: 'refused', ...base, detail: `${label}: ${refusal}` };
  if (status >= 500)
    return { kind: 'error', ...base, detail: `${label}: a server error says nothing about the certificate` };
  if (status < 200) return { kind: 'error', ...base, detail: `unexpected interim ${label}` };
  return {
    kind: 'answered',
    ...base,
    detail: `${label}: the application answered, so the request got through`,
  };
}

/** "HTTP/1.1 403 Forbidden" → 403; undefined for anything that is not an HTTP/1.x status line. */
export function statusLineCode(line: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})(?: |\r?$)/.exec(line);
  return match ? Number(match[1]) : undefined;
}
