import { describe, expect, test } from 'vitest';
import {
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
} from '../../src/clients/grpc-health-codec.js';

describe('grpc.health.v1 messages', () => {
  test('the wire bytes protobuf defines', () => {
    expect(encodeHealthCheckRequest({ service: '' })).toEqual(Buffer.alloc(0));
    expect(encodeHealthCheckRequest({ service: 'lab' })).toEqual(Buffer.from([0x0a, 3, 0x6c, 0x61, 0x62]));
    expect(encodeHealthCheckResponse({ status: 1 })).toEqual(Buffer.from([0x08, 0x01]));
    expect(encodeHealthCheckResponse({ status: 0 })).toEqual(Buffer.alloc(0));
  });

  test('round trips, including a service name longer than one length byte', () => {
    const service = 'x'.repeat(300);
    expect(decodeHealthCheckRequest(encodeHealthCheckRequest({ service }))).toEqual({ service });
    for (const status of [0, 1, 2, 3]) {
      expect(decodeHealthCheckResponse(encodeHealthCheckResponse({ status }))).toEqual({ status });
    }
  });

  test('unknown fields are skipped, truncated input is refused', () => {
    // field 2 (varint 7), field 3 (fixed32), then status = SERVING
    const withUnknown = Buffer.from([0x10, 0x07, 0x1d, 1, 2, 3, 4, 0x08, 0x01]);
    expect(decodeHealthCheckResponse(withUnknown)).toEqual({ status: 1 });
    expect(() => decodeHealthCheckRequest(Buffer.from([0x0a, 5, 0x61]))).toThrow(/truncated/);
    expect(() => decodeHealthCheckResponse(Buffer.from([0x08, 0x80]))).toThrow(/varint/);
  });
});
