/**
 * Planning: which servers to start and which cells to run. Pure: data in, data out.
 * Cells are ordered mode, identity, protocol, TLS version, which is the order reports use.
 */
import type { Mode } from '../modes.js';
import type { IdentityMaterial } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { expectCell } from './oracle.js';
import type { CellSpec, Expectation, ServerSpec } from './types.js';

export interface PlanInput {
  modes: readonly Mode[];
  identities: readonly IdentityMaterial[];
  protocols: readonly Protocol[];
  tls: readonly TlsVersion[];
  /** Servers check the PKI's CRLs (default true). */
  checkCrl?: boolean;
  /** Explicit expectations that replace the oracle's for matching cells (scenarios). */
  override?: (cell: Omit<CellSpec, 'expected' | 'index'>) => Expectation | undefined;
}

export interface MatrixPlan {
  servers: ServerSpec[];
  cells: CellSpec[];
}

export const serverName = (mode: Mode, tls: TlsVersion): string => `${mode}@tls${tls}`;

export function planMatrix(input: PlanInput): MatrixPlan {
  const checkCrl = input.checkCrl ?? true;
  const servers: ServerSpec[] = [];
  for (const mode of input.modes) {
    for (const tls of input.tls) servers.push({ name: serverName(mode, tls), mode, tls, checkCrl });
  }
  const cells: CellSpec[] = [];
  for (const mode of input.modes) {
    for (const identity of input.identities) {
      const oracle = expectCell(mode, identity.traits, { checksCrl: checkCrl });
      for (const protocol of input.protocols) {
        for (const tls of input.tls) {
          const cell = { server: serverName(mode, tls), mode, identity: identity.name, protocol, tls };
          cells.push({ ...cell, index: cells.length, expected: input.override?.(cell) ?? oracle });
        }
      }
    }
  }
  return { servers, cells };
}
