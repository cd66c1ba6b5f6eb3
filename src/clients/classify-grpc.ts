/**
 * Classification of a gRPC call. grpc-js reports every transport failure as a status
 * (mostly UNAVAILABLE) whose details string embeds the underlying error; the observed
 * credentials usually hand us that error itself, and the details string is the fallback.
 */
import { status as Status } from '@grpc/grpc-js';
import {
  classifyHandshakeError,
  classifyRequestError,
  codeOf,
  errorFacts,
  handshakeTimeout,
  isClosed,
  requestTimeout,
} from './classify.js';
import { SERVING_STATUS } from './grpc-health-codec.js';
import { classifyHttpStatus } from './http-status.js';
import { receivedAlert } from './tls-alerts.js';
import type { HandshakeObservation, RequestObservation } from './types.js';

export interface GrpcCallOutcome {
  code: number;
  details: string;
  /** The answer's content-type, when an answer came (headers or trailers-only). */
  contentType?: string;
  /** HealthCheckResponse.status when the call succeeded. */
  servingStatus?: number;
}

/** 'gRPC UNAVAILABLE': the name grpc-js's own status enum gives the code. */
export function grpcStatusLabel(code: number): string {
  return `gRPC ${Status[code] ?? `status ${code}`}`;
}

/**
 * The underlying error inside a details string, e.g. "No connection established. Last error:
 * Error: read ECONNRESET (2024-...). Resolution note: " → "Error: read ECONNRESET".
 */
export function underlyingError(details: string): string {
  const last = /Last error: (.*?)(?: \(\d{4}-\d\d-\d\dT[^)]*\))?(?:\. Resolution note:.*)?$/s.exec(details);
  return (last?.[1] ?? details).trim();
}

/** The handshake did not complete (grpc-js never got a TLS socket from the connector). */
export function classifyGrpcHandshakeFailure(
  outcome: GrpcCallOutcome,
  handshakeError: unknown,
  timeoutMs: number,
): HandshakeObservation {
  if (handshakeError !== undefined) return classifyHandshakeError(handshakeError);
  if (outcome.code === Status.DEADLINE_EXCEEDED) return handshakeTimeout(timeoutMs);
  const observation = classifyHandshakeError(new Error(underlyingError(outcome.details)));
  // Never lose what grpc-js itself said.
  observation.detail = `${grpcStatusLabel(outcome.code)}: ${outcome.details}`;
  return observation;
}

/** Statuses a gRPC application answers with when it got the call: the call got through. */
const APPLICATION_ANSWERS = new Set<number>([
  Status.UNIMPLEMENTED,
  Status.NOT_FOUND,
  Status.INVALID_ARGUMENT,
  Status.FAILED_PRECONDITION,
  Status.RESOURCE_EXHAUSTED,
  Status.OUT_OF_RANGE,
  Status.ALREADY_EXISTS,
  Status.ABORTED,
]);

/**
 * grpc-js invents a status when the answer carried no grpc-status: "Received HTTP status code
 * N" from the HTTP status, or "No status information received". Such an answer is HTTP/2
 * from something that is not a gRPC server (or a proxy in front of one refusing the call).
 */
function madeUpFromHttp(outcome: GrpcCallOutcome): RequestObservation | undefined {
  const status = grpcStatusLabel(outcome.code);
  const base = { grpcCode: outcome.code, grpcFromServer: false };
  const http = /^Received HTTP status code (\d+)/.exec(outcome.details);
  if (http) {
    const observed = classifyHttpStatus(Number(http[1]));
    const label = `${status} (${observed.status ?? ''})`;
    if (observed.kind === 'refused') return { ...observed, ...base, status: label };
    return {
      ...observed,
      ...base,
      kind: 'error',
      status: label,
      detail: `the server answered ${observed.status ?? 'HTTP'} with no gRPC status: it does not answer gRPC here`,
    };
  }
  if (/^No status information received/.test(outcome.details))
    return {
      kind: 'error',
      ...base,
      status,
      detail: `${outcome.details}: the server does not answer gRPC here`,
    };
  return undefined;
}

/** The call's outcome after a completed handshake. */
export function classifyGrpcRequest(
  outcome: GrpcCallOutcome,
  socketError: unknown,
  timeoutMs: number,
): RequestObservation {
  const madeUp = madeUpFromHttp(outcome);
  if (madeUp) return madeUp;
  // grpc-js also makes statuses up while reading a body that is not gRPC at all (an HTML page
  // parsed as a length-prefixed message is "larger than max": RESOURCE_EXHAUSTED).
  if (outcome.contentType !== undefined && !/^application\/grpc/i.test(outcome.contentType))
    return {
      kind: 'error',
      status: grpcStatusLabel(outcome.code),
      grpcCode: outcome.code,
      grpcFromServer: false,
      detail: `the server answered with content-type ${outcome.contentType}, not gRPC (grpc-js: ${outcome.details})`,
    };
  return { ...classifyServerStatus(outcome, socketError, timeoutMs), grpcCode: outcome.code };
}

function classifyServerStatus(
  outcome: GrpcCallOutcome,
  socketError: unknown,
  timeoutMs: number,
): RequestObservation {
  const status = grpcStatusLabel(outcome.code);
  if (outcome.code === Status.OK) {
    const serving = SERVING_STATUS[outcome.servingStatus ?? 0] ?? String(outcome.servingStatus);
    return { kind: 'ok', status: `${status} (${serving})`, grpcFromServer: true };
  }
  if (outcome.code === Status.UNAUTHENTICATED || outcome.code === Status.PERMISSION_DENIED) {
    return { kind: 'refused', status, detail: outcome.details, grpcFromServer: true };
  }
  if (APPLICATION_ANSWERS.has(outcome.code)) {
    return {
      kind: 'answered',
      status,
      detail: `the application answered ${status}, so the call got through: ${outcome.details}`,
      grpcFromServer: true,
    };
  }
  if (outcome.code === Status.DEADLINE_EXCEEDED) return { ...requestTimeout(timeoutMs), status };
  if (socketError !== undefined) {
    const observation = classifyRequestError(socketError);
    return {
      ...observation,
      status,
      detail: `${observation.detail ?? ''} (grpc-js: ${status}: ${outcome.details.trim()})`,
    };
  }
  const facts = errorFacts(new Error(underlyingError(outcome.details)));
  const alert = receivedAlert(undefined, facts.message);
  const code = codeOf(facts);
  const base = { status, detail: outcome.details, ...(code ? { code } : {}) };
  if (alert) return { kind: 'alert', alert, ...base };
  // UNAVAILABLE with a clean TLS socket and no socket error: the server ended the connection
  // (EOF, GOAWAY, "Connection dropped", "Failed to connect" before HTTP/2 SETTINGS).
  if (outcome.code === Status.UNAVAILABLE || isClosed(facts)) return { kind: 'closed', ...base };
  return { kind: 'error', ...base };
}
