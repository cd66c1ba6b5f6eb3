/**
 * Which server views belong to which cell. Pure.
 * A view is the server's record of one connection, keyed by the client's source port;
 * every client reports the local port of the connection it made, so the match is exact.
 * A cell whose client never opened a connection has no view.
 */
import type { ServerView } from '../servers/types.js';

export interface AttributableCell {
  index: number;
  server: string;
  localPort?: number;
}

export function attributeViews(
  cells: readonly AttributableCell[],
  viewsByServer: ReadonlyMap<string, readonly ServerView[]>,
): Map<number, ServerView[]> {
  const attributed = new Map<number, ServerView[]>();
  for (const [server, views] of viewsByServer) {
    const byPort = new Map<number, number>();
    for (const cell of cells) {
      if (cell.server === server && cell.localPort !== undefined) byPort.set(cell.localPort, cell.index);
    }
    for (const view of views) {
      const owner = byPort.get(view.remotePort);
      if (owner === undefined) continue;
      const list = attributed.get(owner);
      if (list) list.push(view);
      else attributed.set(owner, [view]);
    }
  }
  return attributed;
}
