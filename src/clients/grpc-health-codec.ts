/**
 * The two tiny messages of grpc.health.v1, encoded by hand so the client needs no .proto
 * loader: HealthCheckRequest { string service = 1; } and
 * HealthCheckResponse { ServingStatus status = 1; } with UNKNOWN=0, SERVING=1,
 * NOT_SERVING=2, SERVICE_UNKNOWN=3.
 */

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

export const SERVING_STATUS: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'SERVING',
  2: 'NOT_SERVING',
  3: 'SERVICE_UNKNOWN',
};

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  status: number;
}

function encodeVarint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

function decodeVarint(buffer: Buffer, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let at = offset; at < buffer.length && shift < 35; at++) {
    const byte = buffer[at]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at + 1];
    shift += 7;
  }
  throw new Error('truncated or oversized varint in protobuf message');
}

/** Field 1, wire type 2 (length-delimited); proto3 omits an empty string. */
export function encodeHealthCheckRequest(request: HealthCheckRequest): Buffer {
  const service = Buffer.from(request.service, 'utf8');
  if (service.length === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x0a, ...encodeVarint(service.length)]), service]);
}

export function decodeHealthCheckRequest(buffer: Buffer): HealthCheckRequest {
  let service = '';
  walkFields(buffer, (field, wireType, value) => {
    if (field === 1 && wireType === 2 && Buffer.isBuffer(value)) service = value.toString('utf8');
  });
  return { service };
}

/** Field 1, wire type 0 (varint); proto3 omits the default 0. */
export function encodeHealthCheckResponse(response: HealthCheckResponse): Buffer {
  if (response.status === 0) return Buffer.alloc(0);
  return Buffer.from([0x08, ...encodeVarint(response.status)]);
}

export function decodeHealthCheckResponse(buffer: Buffer): HealthCheckResponse {
  let status = 0;
  walkFields(buffer, (field, wireType, value) => {
    if (field === 1 && wireType === 0 && typeof value === 'number') status = value;
  });
  return { status };
}

/** Visits every field, skipping unknown ones as protobuf requires. */
function walkFields(
  buffer: Buffer,
  visit: (field: number, wireType: number, value: number | Buffer) => void,
): void {
  let at = 0;
  while (at < buffer.length) {
    const [tag, afterTag] = decodeVarint(buffer, at);
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (wireType === 0) {
      const [value, next] = decodeVarint(buffer, afterTag);
      visit(field, wireType, value);
      at = next;
    } else if (wireType === 2) {
      const [length, start] = decodeVarint(buffer, afterTag);
      if (start + length > buffer.length) throw new Error('truncated length-delimited protobuf field');
      visit(field, wireType, buffer.subarray(start, start + length));
      at = start + length;
    } else if (wireType === 1 || wireType === 5) {
      at = afterTag + (wireType === 1 ? 8 : 4);
    } else {
      throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
}
