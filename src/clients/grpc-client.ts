/**
 * The `grpc` protocol: one unary /grpc.health.v1.Health/Check through the real @grpc/grpc-js
 * client, on a channel of its own that is closed afterwards.
 *
 * Credentials are what `grpc.credentials.createSsl(rootCerts, privateKey, certChain)` builds:
 * createSsl is `createFromSecureContext(tls.createSecureContext({ ca, key, cert }))`. grpc-js
 * has no TLS version option, so the same secure context is made here with minVersion =
 * maxVersion added, which is the only difference.
 */
import { isIP } from 'node:net';
import { type ChannelOptions, Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { AttemptScope } from './attempt-scope.js';
import { notH2 } from './h2-client.js';
import { classifyHandshakeError } from './classify.js';
import { classifyGrpcHandshakeFailure, classifyGrpcRequest, type GrpcCallOutcome } from './classify-grpc.js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  HEALTH_CHECK_PATH,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from './grpc-health-codec.js';
import { type GrpcTlsObservations, ObservedChannelCredentials } from './grpc-observed-credentials.js';
import {
  alpnOf,
  clientSecureContext,
  expectedServerName,
  pinnedIdentityCheck,
  type ServerCertCheck,
} from './tls-options.js';
import { GRPC_VIEW_TRAILER } from '../servers/types.js';
import type { ClientAttempt } from './types.js';

/** Metadata (header or trailer) in which a server may put its JSON view of the connection. */
export const GRPC_VIEW_METADATA_KEY = GRPC_VIEW_TRAILER;

/** Each cell gets a fresh connection and exactly one try; nothing leaves loopback. */
const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.use_local_subchannel_pool': 1,
  'grpc.enable_retries': 0,
  // grpc-js honours http(s)_proxy variables; the matrix only ever talks to its own servers.
  'grpc.enable_http_proxy': 0,
  // No DNS TXT lookups for service config.
  'grpc.service_config_disable_resolution': 1,
};

export function grpcTarget(host: string, port: number): string {
  if (isIP(host) === 4) return `ipv4:${host}:${port}`;
  if (isIP(host) === 6) return `ipv6:[${host}]:${port}`;
  return `dns:${host}:${port}`;
}

function channelOptions(attempt: ClientAttempt): ChannelOptions {
  const name = expectedServerName(attempt);
  // By default grpc-js uses the target's host as SNI and for the name check.
  return name === attempt.host
    ? CHANNEL_OPTIONS
    : { ...CHANNEL_OPTIONS, 'grpc.ssl_target_name_override': name };
}

function viewFrom(metadata: Metadata | undefined): unknown {
  const text = metadata?.get(GRPC_VIEW_METADATA_KEY)[0] ?? metadata?.get(`${GRPC_VIEW_METADATA_KEY}-bin`)[0];
  if (text === undefined) return undefined;
  const raw = typeof text === 'string' ? text : text.toString('utf8');
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function runGrpcClient(scope: AttemptScope): void {
  const { attempt } = scope;
  const seen: GrpcTlsObservations = { connections: 0 };
  const check: ServerCertCheck = {};
  let channelCredentials: ObservedChannelCredentials;
  try {
    const inner = credentials.createFromSecureContext(clientSecureContext(attempt), {
      checkServerIdentity: pinnedIdentityCheck(expectedServerName(attempt), check),
    });
    channelCredentials = new ObservedChannelCredentials(
      inner,
      seen,
      (socket) => {
        scope.localPort ??= socket.localPort;
      },
      (socket) => {
        scope.handshakeOk({
          tlsVersion: socket.getProtocol() ?? undefined,
          alpn: alpnOf(socket.alpnProtocol),
        });
        // grpc-js would retry a server that did not choose h2 until the deadline: end it here.
        if (socket.alpnProtocol !== 'h2') scope.finish(notH2(socket.alpnProtocol));
      },
    );
  } catch (error) {
    scope.failHandshake(classifyHandshakeError(error));
    return;
  }

  const client = new Client(
    grpcTarget(attempt.host, attempt.port),
    channelCredentials,
    channelOptions(attempt),
  );
  let headers: Metadata | undefined;
  let trailers: Metadata | undefined;
  const call = client.makeUnaryRequest<HealthCheckRequest, HealthCheckResponse>(
    HEALTH_CHECK_PATH,
    encodeHealthCheckRequest,
    decodeHealthCheckResponse,
    { service: '' },
    new Metadata(),
    { deadline: scope.startedAt + attempt.timeoutMs },
    (error: ServiceError | null, response?: HealthCheckResponse) => {
      const outcome: GrpcCallOutcome = error
        ? { code: error.code, details: error.details }
        : { code: 0, details: 'OK', ...(response ? { servingStatus: response.status } : {}) };
      settle(outcome);
    },
  );
  call.on('metadata', (metadata: Metadata) => {
    headers = metadata;
  });
  call.on('status', (status) => {
    trailers = status.metadata;
  });
  scope.onCleanup(() => {
    call.cancel();
    client.close();
    // Closing the channel does not abort a connection grpc-js is still making; end it here.
    seen.tlsSocket?.destroy();
    seen.tcpSocket?.destroy();
  });

  function settle(outcome: GrpcCallOutcome): void {
    // 'status' (and its trailers) may be emitted after the callback; read it on the next turn.
    setImmediate(() => {
      if (scope.done) return;
      scope.answer = viewFrom(trailers) ?? viewFrom(headers);
      if (!seen.tlsSocket) {
        const observation = classifyGrpcHandshakeFailure(outcome, seen.handshakeError, attempt.timeoutMs);
        // grpc-js reports both sides' failures alike; say whether the client had judged the server.
        if (check.outcome)
          observation.detail = `${observation.detail ?? ''} (server certificate ${check.outcome} by the client)`;
        scope.failHandshake(observation);
        return;
      }
      if (seen.connections > 1) {
        outcome.details += ` (the channel opened ${seen.connections} connections)`;
      }
      const contentType = headers?.get('content-type')[0] ?? trailers?.get('content-type')[0];
      if (typeof contentType === 'string') outcome.contentType = contentType;
      scope.finish(classifyGrpcRequest(outcome, seen.socketError, attempt.timeoutMs));
    });
  }
}
