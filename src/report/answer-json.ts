/**
 * The answer of one request as JSON, in the matrix report's cells and the probe report's
 * attempts alike: the words, and beside them the numbers a script compares.
 */
import type { RequestObservation } from '../clients/types.js';

export function answerJson(request: RequestObservation) {
  return {
    /** "HTTP 200", "gRPC UNAVAILABLE", "echo"; null when no answer came. */
    status: request.status ?? null,
    /** The HTTP status (https, h2, an HTTP answer on raw TLS, or under gRPC); null when none. */
    http_status: request.httpStatus ?? null,
    /** The gRPC status code (grpc only); null otherwise. */
    grpc_code: request.grpcCode ?? null,
  };
}
