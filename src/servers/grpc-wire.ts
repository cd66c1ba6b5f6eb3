/**
 * The few bytes of gRPC and protobuf the lab server needs, written by hand so the server can
 * live on the same HTTP/2 session (and TLS socket) as the plain h2 handler.
 *
 * gRPC over HTTP/2 (grpc/doc/PROTOCOL-HTTP2.md): each message is a 5-byte prefix
 * (1 byte compressed flag, 4 bytes big-endian length) followed by the protobuf bytes.
 *
 * The messages (see GRPC_PROTOS for the .proto text):
 * - grpc.health.v1.HealthCheckRequest  { string service = 1; }   -> tag 0x0a, length, UTF-8
 * - grpc.health.v1.HealthCheckResponse { ServingStatus status = 1; } SERVING = 1 -> 0x08 0x01
 * - mtlslab.v1.WhoAmIResponse          { string view_json = 1; }  -> tag 0x0a, length, UTF-8
 */

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
export const WHO_AM_I_PATH = '/mtlslab.v1.Lab/WhoAmI';
export const SERVING = 1;

/** Status codes used here (grpc/doc/statuscodes.md). */
export const GRPC_STATUS = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;

export function frameMessage(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(0, 0);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** Splits a request body into messages; throws on a truncated or compressed one. */
export function unframeMessages(body: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) throw new Error('truncated gRPC message prefix');
    if (body.readUInt8(offset) !== 0) throw new Error('compressed gRPC messages are not supported');
    const length = body.readUInt32BE(offset + 1);
    if (offset + 5 + length > body.length) throw new Error('truncated gRPC message');
    messages.push(body.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return messages;
}

function encodeVarint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

export function encodeStringField(field: number, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...encodeVarint(bytes.length)]), bytes]);
}

export function encodeVarintField(field: number, value: number): Buffer {
  return Buffer.from([(field << 3) | 0, ...encodeVarint(value)]);
}

/** Length-delimited (wire type 2) fields by number, skipping varints; enough for string fields. */
export function decodeStringFields(message: Uint8Array): Map<number, string> {
  const fields = new Map<number, string>();
  let offset = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = message[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (offset < message.length) {
    const tag = readVarint();
    const wireType = tag & 7;
    if (wireType === 0) readVarint();
    else if (wireType === 2) {
      const length = readVarint();
      if (offset + length > message.length) throw new Error('truncated field');
      fields.set(tag >>> 3, Buffer.from(message.subarray(offset, offset + length)).toString('utf8'));
      offset += length;
    } else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
  return fields;
}

/** The services as .proto text: for grpcurl (`-proto`) and for anyone writing a client. */
export const GRPC_PROTOS: Readonly<Record<string, string>> = {
  'health.proto': `syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
`,
  'lab.proto': `syntax = "proto3";
package mtlslab.v1;
message WhoAmIRequest {}
// The server's view of this connection (mode, TLS version, client certificate, verdict) as JSON.
message WhoAmIResponse { string view_json = 1; }
service Lab { rpc WhoAmI(WhoAmIRequest) returns (WhoAmIResponse); }
`,
};
