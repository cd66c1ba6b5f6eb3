/**
 * Which server views belong to which cell. Pure.
 * A view is the server's record of one connection, keyed by the client's source port;
 * every client reports the local port of the connection it made, so the match is exact.
 * A source port can come round again in one run (on loopback, Linux may hand it out again
 * as soon as the earlier connection has closed), so among the cells whose clients used a
 * view's port the owner is the one that started last before the server accepted it.
 * A cell whose client never opened a connection has no view.
 */
import type { ServerView } from '../servers/types.js';

export interface AttributableCell {
  index: number;
  server: string;
  localPort?: number;
  /** When its client started (Date.now(), the clock of ServerView.acceptedAt). */
  startedAt?: number;
}

export function attributeViews(
  cells: readonly AttributableCell[],
  viewsByServer: ReadonlyMap<string, readonly ServerView[]>,
): Map<number, ServerView[]> {
  const attributed = new Map<number, ServerView[]>();
  for (const [server, views] of viewsByServer) {
    const byPort = new Map<number, AttributableCell[]>();
    for (const cell of cells) {
      if (cell.server !== server || cell.localPort === undefined) continue;
      const sharing = byPort.get(cell.localPort);
      if (sharing) sharing.push(cell);
      else byPort.set(cell.localPort, [cell]);
    }
    for (const view of views) {
      const owner = ownerOf(byPort.get(view.remotePort), view.acceptedAt);
      if (owner === undefined) continue;
      const list = attributed.get(owner);
      if (list) list.push(view);
      else attributed.set(owner, [view]);
    }
  }
  return attributed;
}

function ownerOf(
  candidates: readonly AttributableCell[] | undefined,
  acceptedAt: number,
): number | undefined {
  if (!candidates || candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0]!.index;
  const started = (cell: AttributableCell) => cell.startedAt ?? Number.NEGATIVE_INFINITY;
  const before = candidates.filter((cell) => started(cell) <= acceptedAt);
  const pool = before.length > 0 ? before : candidates;
  return pool.reduce((latest, cell) => (started(cell) > started(latest) ? cell : latest)).index;
}
