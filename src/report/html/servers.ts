/**
 * The servers of a run, as the HTML report groups its cells: one group per server (a mode of
 * the default run, a scenario's server or route, an engine's server, or the --target), with
 * its TLS versions side by side. Pure.
 */
import type { Engine } from '../../engines/registry.js';
import type { CellResult, MatrixResult } from '../../matrix/types.js';
import type { Mode } from '../../modes.js';
import { PROTOCOLS, type Protocol, TLS_VERSIONS, type TlsVersion } from '../../servers/types.js';

export interface ServerGroup {
  /** Anchor of the server's section: numbered, never made from a user-supplied name. */
  id: string;
  /** The server's name without its TLS version ("require_and_verify_client_cert", "runway/legacy"). */
  name: string;
  mode: Mode;
  engine: Engine;
  /** The path its cells request, for a route. */
  path?: string;
  cells: CellResult[];
  /** Protocol × TLS version columns of its grid, in canonical order. */
  columns: { protocol: Protocol; tls: TlsVersion }[];
}

/** A server is named per TLS version ("nginx-on@tls1.3"); one group holds both. */
export const serverName = (cell: CellResult): string => cell.server.replace(/@tls[\d.]+$/, '');

export function serverGroups(result: MatrixResult): ServerGroup[] {
  const byName = new Map<string, CellResult[]>();
  for (const cell of result.cells) {
    const name = serverName(cell);
    byName.set(name, [...(byName.get(name) ?? []), cell]);
  }
  return [...byName].map(([name, cells], i) => {
    const first = cells[0] as CellResult;
    const columns = PROTOCOLS.flatMap((protocol) =>
      TLS_VERSIONS.filter((tls) => cells.some((cell) => cell.protocol === protocol && cell.tls === tls)).map(
        (tls) => ({ protocol, tls }),
      ),
    );
    return {
      id: `server-${i + 1}`,
      name,
      mode: first.mode,
      engine: first.engine ?? 'node',
      ...(first.listener && first.path ? { path: first.path } : {}),
      cells,
      columns,
    };
  });
}

/** Anchor of one cell's detail: by its position in the plan, never by a name. */
export const cellId = (cell: CellResult): string => `cell-${cell.index}`;

/** "require_and_verify_client_cert × valid × https × TLS 1.3", as the table report titles a cell. */
export const cellTitle = (cell: CellResult): string =>
  `${serverName(cell) === cell.mode ? cell.mode : `${serverName(cell)} (${cell.mode})`} × ${cell.identity} × ${cell.protocol} × TLS ${cell.tls}`;
