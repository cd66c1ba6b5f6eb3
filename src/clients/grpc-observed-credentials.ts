/**
 * gRPC channel credentials that let the harness watch grpc-js's own TLS connection.
 *
 * grpc-js hides its sockets, so a failed call only says "UNAVAILABLE" plus a string. This
 * wrapper delegates every step to the real credentials (the TLS handshake is grpc-js's own
 * `tls.connect`) and only looks: the TCP socket it is handed (local port), the error its
 * handshake rejected with, the TLS socket it produced (version, ALPN) and that socket's
 * first error afterwards (a TLS 1.3 alert arriving on the first read).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ChannelCredentials } from '@grpc/grpc-js';

type CreateConnector = ChannelCredentials['_createSecureConnector'];
type SecureConnector = ReturnType<CreateConnector>;

/** What was seen of the one connection a cell's channel makes. */
export interface GrpcTlsObservations {
  tcpSocket?: Socket;
  /** The handshake failed (or the client refused the server) with this error. */
  handshakeError?: unknown;
  /** The handshake completed and the client accepted the server: grpc-js got a TLS socket. */
  tlsSocket?: TLSSocket;
  /** First error on the TLS socket after the handshake. */
  socketError?: Error;
  /** How many TCP connections the channel opened (should be one per cell). */
  connections: number;
}

export class ObservedChannelCredentials extends ChannelCredentials {
  constructor(
    private readonly inner: ChannelCredentials,
    private readonly observations: GrpcTlsObservations,
    private readonly onTcpConnect: (socket: Socket) => void,
    private readonly onSecure: (socket: TLSSocket) => void,
  ) {
    super();
  }

  _isSecure(): boolean {
    return this.inner._isSecure();
  }

  _equals(other: ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(...args: Parameters<CreateConnector>): SecureConnector {
    const inner = this.inner._createSecureConnector(...args);
    const seen = this.observations;
    return {
      connect: async (socket) => {
        seen.connections += 1;
        seen.tcpSocket = socket;
        this.onTcpConnect(socket);
        try {
          const result = await inner.connect(socket);
          const tlsSocket = result.socket as TLSSocket;
          seen.tlsSocket = tlsSocket;
          tlsSocket.on('error', (error) => {
            seen.socketError ??= error;
          });
          this.onSecure(tlsSocket);
          return result;
        } catch (error) {
          seen.handshakeError ??= error;
          throw error;
        }
      },
      waitForReady: () => inner.waitForReady(),
      getCallCredentials: () => inner.getCallCredentials(),
      destroy: () => inner.destroy(),
    };
  }
}
