/**
 * Engines, as data: which exist and what each serves. Pure, so the planner can use it
 * without loading the engines themselves.
 */
import type { RunningServer } from '../servers/server.js';
import type { Protocol } from '../servers/types.js';

export const ENGINES = ['node', 'openssl'] as const;
export type Engine = (typeof ENGINES)[number];

export interface EngineServer extends RunningServer {
  engine: Engine;
  /** The port that serves this protocol (an external engine may use one process per protocol). */
  portFor(protocol: Protocol): number;
  /** Child processes behind the server (external engines), for cleanup checks. */
  pids?(): number[];
  /** Temporary folder of the server's material (external engines); removed by close(). */
  dir?: string;
}

/** s_server's `-www` and `-rev` cover https and tls; it has no HTTP/2. */
export const OPENSSL_PROTOCOLS: readonly Protocol[] = ['tls', 'https'];
export const OPENSSL_UNSERVED = 'openssl s_server speaks no HTTP/2 (so no gRPC either)';

/** Why an engine does not serve a protocol; undefined when it does. */
export function unservedReason(engine: Engine, protocol: Protocol): string | undefined {
  if (engine === 'openssl' && !OPENSSL_PROTOCOLS.includes(protocol)) return OPENSSL_UNSERVED;
  return undefined;
}
