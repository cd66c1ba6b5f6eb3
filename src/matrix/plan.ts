/**
 * Planning: which servers to start and which cells to run. Pure: data in, data out.
 * Cells are ordered server, identity, protocol, TLS version, which is the order reports use.
 */
import { type Engine, unservedReason } from '../engines/types.js';
import type { Mode } from '../modes.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { expectCell } from './oracle.js';
import type { CellSpec, Expectation, ServerSpec } from './types.js';

/** A server as a user describes it; it runs once per TLS version it serves. */
export interface ServerRequest {
  name: string;
  mode: Mode;
  /** Protocols to test against it; default: the plan's protocols. */
  protocols?: readonly Protocol[];
  /** TLS versions it serves; default: the plan's TLS versions. */
  tls?: readonly TlsVersion[];
  /** Checks the PKI's CRLs; default: the plan's checkCrl. */
  checkCrl?: boolean;
  /** What implements it; default: the plan's engine. */
  engine?: Engine;
}

export interface PlanInput {
  /** One server per mode, named after it; ignored when `servers` is given. */
  modes: readonly Mode[];
  servers?: readonly ServerRequest[];
  identities: readonly IdentityMaterial[];
  protocols: readonly Protocol[];
  tls: readonly TlsVersion[];
  /** Servers check the PKI's CRLs (default true). */
  checkCrl?: boolean;
  /** Engine of servers that name none (default 'node'). */
  engine?: Engine;
  /** Explicit expectations that replace the oracle's for matching cells (scenarios). */
  override?: (cell: Omit<CellSpec, 'expected' | 'index'>) => Expectation | undefined;
}

export interface MatrixPlan {
  servers: ServerSpec[];
  cells: CellSpec[];
}

export const serverName = (name: string, tls: TlsVersion): string => `${name}@tls${tls}`;

export function planMatrix(input: PlanInput): MatrixPlan {
  const requests: readonly ServerRequest[] =
    input.servers ?? input.modes.map((mode) => ({ name: mode, mode }));
  const servers: ServerSpec[] = [];
  const cells: CellSpec[] = [];
  for (const request of requests) {
    const checkCrl = request.checkCrl ?? input.checkCrl ?? true;
    const engine = request.engine ?? input.engine ?? 'node';
    const versions = input.tls.filter((tls) => request.tls?.includes(tls) ?? true);
    const protocols = input.protocols.filter((protocol) => request.protocols?.includes(protocol) ?? true);
    for (const tls of versions) {
      const spec: ServerSpec = { name: serverName(request.name, tls), mode: request.mode, tls, checkCrl };
      servers.push(engine === 'node' ? spec : { ...spec, engine });
    }
    for (const identity of input.identities) {
      const oracle = expectCell(request.mode, identity.traits, { checksCrl: checkCrl });
      for (const protocol of protocols) {
        for (const tls of versions) {
          const cell = {
            server: serverName(request.name, tls),
            mode: request.mode,
            identity: identity.name,
            protocol,
            tls,
          };
          const skipped = unservedReason(engine, protocol);
          cells.push({
            ...cell,
            index: cells.length,
            expected: input.override?.(cell) ?? oracle,
            ...(engine === 'node' ? {} : { engine }),
            ...(skipped ? { skipped } : {}),
          });
        }
      }
    }
  }
  return { servers, cells };
}
