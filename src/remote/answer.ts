/**
 * What a target's answer means for the client certificate. The built-in servers answer every
 * accepted request with 200 / gRPC OK; a user's server answers with whatever its routes do.
 * Any real answer (404, gRPC UNIMPLEMENTED, an HTTP server's reply to the raw TLS line) still
 * shows that the client got through, while some servers refuse a certificate only in the
 * application: nginx completes the handshake and answers 400, 495 or 496. Pure.
 */
import type { ClientResult, RequestObservation } from '../clients/types.js';
import type { Verdict } from '../matrix/types.js';
import { verdictOf } from '../matrix/verdict.js';

/** HTTP statuses that mean "your certificate (or its absence) is refused". */
export const REFUSAL_STATUSES: ReadonlyMap<number, string> = new Map([
  [400, 'bad request (nginx answers 400 when a required client certificate is missing or bad)'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [495, 'nginx: the client certificate failed verification'],
  [496, 'nginx: no client certificate was sent'],
]);

/** gRPC statuses that come from the application, so the call reached it. */
const GRPC_ANSWERS = new Set([
  'UNIMPLEMENTED',
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'RESOURCE_EXHAUSTED',
  'OUT_OF_RANGE',
  'ALREADY_EXISTS',
  'ABORTED',
]);

/** The raw TLS client's words for data that arrived but was not one line. */
const RAW_DATA = /^(connection closed after a partial answer|no newline in the first)/;

export function httpStatusOf(request: Pick<RequestObservation, 'status'>): number | undefined {
  const match = /^HTTP (\d{3})$/.exec(request.status ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The request observation re-read for a target; the status and raw detail are kept. */
export function interpretTargetRequest(
  result: Pick<ClientResult, 'protocol' | 'handshake' | 'request'>,
): RequestObservation {
  const { request } = result;
  if (result.handshake.kind !== 'ok') return request;
  const status = httpStatusOf(request);
  if (status !== undefined) {
    const refusal = REFUSAL_STATUSES.get(status);
    if (refusal) return { ...request, kind: 'refused', detail: `HTTP ${status}: ${refusal}` };
    if (request.kind === 'error')
      return {
        ...request,
        kind: 'ok',
        detail: `the target answered HTTP ${status}, so the client got through`,
      };
    return request;
  }
  const grpc = /^gRPC ([A-Z_]+)$/.exec(request.status ?? '')?.[1];
  if (request.kind === 'error' && grpc && GRPC_ANSWERS.has(grpc)) {
    return {
      ...request,
      kind: 'ok',
      detail: `the target's application answered ${grpc}, so the call got through`,
    };
  }
  if (
    result.protocol === 'tls' &&
    request.kind === 'error' &&
    !request.code &&
    RAW_DATA.test(request.detail ?? '')
  ) {
    return { ...request, kind: 'ok', detail: `the target sent data after the handshake (${request.detail})` };
  }
  return request;
}

export function targetVerdict(result: Pick<ClientResult, 'protocol' | 'handshake' | 'request'>): Verdict {
  return verdictOf({ request: interpretTargetRequest(result) });
}
