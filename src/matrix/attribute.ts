/**
 * Which server views belong to which cell. Pure.
 * A view is the server's record of one connection, keyed by the client's source port.
 * tls/https/h2 clients report their local port, so their views match exactly. grpc-js
 * does not expose its socket, so a gRPC cell gets the views on its server that no other
 * cell claimed and that were accepted inside its time window (gRPC cells on one server
 * run one at a time for this reason).
 */
import type { ServerView } from '../servers/types.js';

export interface AttributableCell {
  index: number;
  server: string;
  localPort?: number;
  startedAt: number;
  endedAt: number;
  byWindow: boolean;
}

/** Tolerance for clock reads taken on either side of the same event. */
const WINDOW_SLACK_MS = 5;

export function attributeViews(
  cells: readonly AttributableCell[],
  viewsByServer: ReadonlyMap<string, readonly ServerView[]>,
): Map<number, ServerView[]> {
  const attributed = new Map<number, ServerView[]>();
  const add = (index: number, view: ServerView) => {
    const list = attributed.get(index);
    if (list) list.push(view);
    else attributed.set(index, [view]);
  };
  for (const [server, views] of viewsByServer) {
    const onServer = cells.filter((cell) => cell.server === server);
    const byPort = new Map<number, AttributableCell>();
    for (const cell of onServer)
      if (!cell.byWindow && cell.localPort !== undefined) byPort.set(cell.localPort, cell);
    const windowCells = onServer.filter((cell) => cell.byWindow);
    for (const view of views) {
      const owner = byPort.get(view.remotePort);
      if (owner) {
        add(owner.index, view);
        continue;
      }
      const inWindow = windowCells.find(
        (cell) =>
          view.acceptedAt >= cell.startedAt - WINDOW_SLACK_MS &&
          view.acceptedAt <= cell.endedAt + WINDOW_SLACK_MS,
      );
      if (inWindow) add(inWindow.index, view);
    }
  }
  return attributed;
}
