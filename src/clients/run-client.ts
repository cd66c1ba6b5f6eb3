/**
 * One client attempt of the matrix: connect with the given identity, protocol and TLS
 * version, make one request, and report what was observed. Never throws for anything the
 * network or the server did; every path ends within `timeoutMs` with its sockets closed.
 */
import { AttemptScope } from './attempt-scope.js';
import { runGrpcClient } from './grpc-client.js';
import { runH2Client } from './h2-client.js';
import { runHttpsClient } from './https-client.js';
import { runTlsClient } from './tls-client.js';
import type { ClientAttempt, ClientResult } from './types.js';

const RUNNERS = {
  tls: runTlsClient,
  https: runHttpsClient,
  h2: runH2Client,
  grpc: runGrpcClient,
} as const satisfies Record<ClientAttempt['protocol'], (scope: AttemptScope) => void>;

export function runClient(attempt: ClientAttempt): Promise<ClientResult> {
  const scope = new AttemptScope(attempt);
  try {
    RUNNERS[attempt.protocol](scope);
  } catch (error) {
    // A synchronous throw from Node or grpc-js (bad option, bad material) is an observation too.
    const detail = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    scope.failHandshake({ kind: 'error', detail, ...(code ? { code } : {}) });
  }
  return scope.result;
}
