/**
 * Real errors for the classification tests: made by plain Node and grpc-js clients against
 * real servers, so the classifiers are tested on what Node and OpenSSL really produce.
 */

import { type ConnectionOptions, connect } from 'node:tls';
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  HEALTH_CHECK_PATH,
} from '../../../src/clients/grpc-health-codec.js';

export interface CapturedTlsError {
  error: Error;
  /** secureConnect had fired before the error: it arrived on the first read. */
  afterSecureConnect: boolean;
}

/** Connects, writes a line after secureConnect, and returns the first error (bounded). */
export function captureTlsError(options: ConnectionOptions, timeoutMs = 5_000): Promise<CapturedTlsError> {
  return new Promise((resolve, reject) => {
    let secured = false;
    const socket = connect({ host: '127.0.0.1', ...options });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no error within the bound'));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      secured = true;
      socket.write('hello\n');
    });
    socket.on('data', () => {});
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error, afterSecureConnect: secured });
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed without an error'));
    });
  });
}

/**
 * One health check with credentials made exactly as the RoadRunner document shows
 * (createSsl(root, key, chain)), returning grpc-js's error: its details string is what the
 * fallback classification parses.
 */
export function captureGrpcError(
  port: number,
  root: string,
  key?: string,
  chain?: string,
  timeoutMs = 5_000,
): Promise<ServiceError> {
  const channelCredentials = credentials.createSsl(
    Buffer.from(root),
    key ? Buffer.from(key) : null,
    chain ? Buffer.from(chain) : null,
  );
  const client = new Client(`127.0.0.1:${port}`, channelCredentials, {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_http_proxy': 0,
  });
  return new Promise<ServiceError>((resolve, reject) => {
    client.makeUnaryRequest(
      HEALTH_CHECK_PATH,
      encodeHealthCheckRequest,
      decodeHealthCheckResponse,
      { service: '' },
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error) => (error ? resolve(error) : reject(new Error('the call succeeded'))),
    );
  }).finally(() => client.close());
}
