/**
 * One record per TCP connection, and exactly one ServerView per connection, emitted once
 * its fate is known: rejected in the handshake, rejected after it (by Node or by the mode's
 * decision), or accepted and then served (the first request names the protocol) or closed.
 *
 * The hard case is require_and_verify_client_cert: with rejectUnauthorized Node destroys an
 * unverifiable connection inside its own 'secure' handler and emits nothing useful (later a
 * generic "socket hang up" tlsClientError, when the peer certificate can no longer be read).
 * The server's documented 'keylog' event hands us each TLSSocket early in the handshake
 * (TLS 1.3: right after ServerHello; TLS 1.2: on ClientKeyExchange, before Finished), so we
 * prepend a 'secure' listener that runs before Node's and snapshots the peer certificate,
 * and append one that runs after it and records Node's verdict. Session tickets are off
 * (tls-options.ts), so every connection does a full handshake and produces keylog lines.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Mode } from '../modes.js';
import { decideAfterHandshake, type Verdict, verification } from './decide.js';
import { type PeerSnapshot, snapshotPeer } from './peer.js';
import type { Protocol, ServerView } from './types.js';

interface Connection {
  id: number;
  acceptedAt: number;
  remotePort: number;
  remoteAddress: string;
  raw: Socket;
  tls?: TLSSocket;
  /** Taken just before Node's own 'secure' handler could destroy the socket. */
  atSecure?: { peer: PeerSnapshot; tlsVersion: string | null; alpn: string | null };
  /** Accepted, waiting for the first request to say which protocol was served. */
  pending?: ServerView;
  emitted: boolean;
  /** The one view, once emitted. */
  view?: ServerView;
}

/** A TLS socket, or the proxy of one that an Http2Session hands out. */
type SocketLike = { remoteAddress?: string; remotePort?: number };

const keyOf = (address: string | undefined, port: number | undefined) => `${address}|${port}`;

const CLOSED_IN_HANDSHAKE = 'the connection closed before the TLS handshake completed';

/** "peer did not return a certificate" out of OpenSSL's long error string. */
export function handshakeReason(error: Error & { code?: string }): string {
  const code = error.code ?? '';
  if (code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE')
    return 'no client certificate presented: refused inside the handshake';
  if (code === 'ECONNRESET') return CLOSED_IN_HANDSHAKE;
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'TLS handshake timed out';
  const detail = /SSL routines:[^:]*:([^:]+)/.exec(error.message)?.[1] ?? error.message.trim();
  if (/alert/.test(detail)) return `the client aborted the handshake (${detail})`;
  return `TLS handshake failed: ${detail}${code ? ` (${code})` : ''}`;
}

export class ConnectionTracker {
  private nextId = 1;
  private readonly byKey = new Map<string, Connection>();
  private readonly bySocket = new WeakMap<object, Connection>();
  private readonly open = new Set<Connection>();
  private readonly emittedViews: ServerView[] = [];
  private onDrained?: () => void;

  constructor(
    private readonly mode: Mode,
    private readonly onView?: (view: ServerView) => void,
  ) {}

  views(): ServerView[] {
    return [...this.emittedViews];
  }

  /** TCP accept (net.Server 'connection'). */
  accepted(raw: Socket): void {
    const conn: Connection = {
      id: this.nextId++,
      acceptedAt: Date.now(),
      remotePort: raw.remotePort ?? 0,
      remoteAddress: raw.remoteAddress ?? '',
      raw,
      emitted: false,
    };
    const key = keyOf(conn.remoteAddress, conn.remotePort);
    this.byKey.set(key, conn);
    this.open.add(conn);
    raw.once('close', () => {
      this.open.delete(conn);
      this.byKey.delete(key);
      // Safety net: a connection that produced no TLS event still gets its one view.
      if (conn.pending) this.emitUnserved(conn, conn.pending);
      else if (!conn.emitted) this.emitRejected(conn, 'handshake', CLOSED_IN_HANDSHAKE);
      if (this.open.size === 0) this.onDrained?.();
    });
  }

  /** First sight of the TLSSocket (server 'keylog'): hook around Node's 'secure' handler. */
  adopt(socket: TLSSocket): void {
    const conn = this.find(socket);
    if (!conn || conn.tls) return;
    conn.tls = socket;
    socket.prependListener('secure', () => {
      conn.atSecure = seenNow(socket);
    });
    socket.on('secure', () => {
      // Node's handler ran before this one; if it destroyed the socket, that was its verdict.
      if (socket.destroyed && !conn.emitted) this.nodeRejected(conn, socket);
    });
  }

  /**
   * The handshake completed and Node kept the socket ('secureConnection'): apply the mode.
   * Returns false when the connection was refused (and destroyed).
   */
  secured(socket: TLSSocket): boolean {
    const conn = this.find(socket);
    if (!conn) {
      socket.destroy();
      return false;
    }
    conn.tls = socket;
    const seen = conn.atSecure ?? seenNow(socket);
    const verdict = decideAfterHandshake(this.mode, {
      presented: seen.peer.presented,
      authorizationError: authorizationErrorOf(socket),
    });
    const view = this.view(conn, seen, verdict, protocolByAlpn(seen.alpn));
    if (verdict.decision === 'rejected') {
      this.emit(conn, { ...view, protocol: null });
      socket.destroy();
      return false;
    }
    conn.pending = view;
    socket.once('close', () => {
      if (conn.pending) this.emitUnserved(conn, conn.pending);
    });
    return true;
  }

  /**
   * A request arrived: the view (with this request's protocol), emitted on the first one.
   * `decided` is a route's verdict on this request (per-route policies); the recorded view
   * carries the first request's, the answer each request's own.
   */
  served(socket: SocketLike, protocol: Protocol, decided?: Partial<ServerView>): ServerView | undefined {
    const conn = this.find(socket);
    if (!conn) return undefined;
    if (conn.pending) this.emit(conn, { ...conn.pending, protocol, ...decided });
    return conn.view && { ...conn.view, protocol, ...decided };
  }

  /** 'tlsClientError': the handshake failed, or Node destroyed the socket after it. */
  failed(error: Error & { code?: string }, socket: TLSSocket): void {
    const conn = this.find(socket);
    // With a 'tlsClientError' listener Node leaves the socket to it, even after a handshake
    // timeout: a client that stalls would otherwise hold its connection for as long as it likes.
    socket.destroy();
    if (!conn || conn.emitted) return;
    if (authorizationErrorOf(socket) !== null) this.nodeRejected(conn, socket);
    else this.emitRejected(conn, 'handshake', handshakeReason(error));
  }

  /**
   * Destroys every open connection and resolves once each has closed, so every view has
   * been emitted (a net.Server's close callback can run before its sockets' 'close' events).
   */
  destroyAll(): Promise<void> {
    const drained = new Promise<void>((resolve) => {
      this.onDrained = resolve;
      if (this.open.size === 0) resolve();
    });
    for (const conn of this.open) {
      conn.tls?.destroy();
      conn.raw.destroy();
    }
    return drained;
  }

  private find(socket: SocketLike): Connection | undefined {
    const known = this.bySocket.get(socket);
    if (known) return known;
    const conn = this.byKey.get(keyOf(socket.remoteAddress, socket.remotePort));
    if (conn) this.bySocket.set(socket, conn);
    return conn;
  }

  private nodeRejected(conn: Connection, socket: TLSSocket): void {
    // Without a snapshot (no keylog line came first) Node still told us the code, and it
    // only sets one for a certificate that was presented.
    const seen = conn.atSecure ?? { peer: { presented: true }, tlsVersion: null, alpn: null };
    const verdict = decideAfterHandshake(this.mode, {
      presented: seen.peer.presented,
      authorizationError: authorizationErrorOf(socket),
    });
    this.emit(
      conn,
      this.view(conn, seen, { ...verdict, reason: `${verdict.reason} (closed by Node)` }, null),
    );
  }

  private emitRejected(conn: Connection, stage: 'handshake', reason: string): void {
    const peer = conn.atSecure?.peer ?? { presented: false };
    const checked = verification(this.mode, { presented: peer.presented, authorizationError: null });
    const verdict: Verdict = { decision: 'rejected', stage, reason, ...checked };
    this.emit(conn, this.view(conn, { peer, tlsVersion: null, alpn: null }, verdict, null));
  }

  private view(
    conn: Connection,
    seen: NonNullable<Connection['atSecure']>,
    verdict: Verdict,
    protocol: Protocol | null,
  ): ServerView {
    return {
      connection: conn.id,
      remotePort: conn.remotePort,
      remoteAddress: conn.remoteAddress,
      acceptedAt: conn.acceptedAt,
      mode: this.mode,
      tlsVersion: seen.tlsVersion,
      alpn: seen.alpn,
      protocol,
      ...seen.peer,
      ...verdict,
    };
  }

  /** Accepted, but the connection ended without a request (e.g. the client refused the server). */
  private emitUnserved(conn: Connection, view: ServerView): void {
    this.emit(conn, { ...view, reason: `${view.reason}; closed before any request` });
  }

  private emit(conn: Connection, view: ServerView): void {
    if (conn.emitted) return;
    conn.emitted = true;
    conn.pending = undefined;
    conn.view = view;
    this.emittedViews.push(view);
    this.onView?.(view);
  }
}

function seenNow(socket: TLSSocket): NonNullable<Connection['atSecure']> {
  return {
    peer: snapshotPeer(socket),
    tlsVersion: socket.getProtocol() ?? null,
    alpn: socket.alpnProtocol || null,
  };
}

/** Node sets authorizationError to a code string (typed as Error in @types/node). */
function authorizationErrorOf(socket: TLSSocket): string | null {
  const value = socket.authorizationError as unknown;
  return value ? String(value) : null;
}

export function protocolByAlpn(alpn: string | null): Protocol {
  return alpn === 'h2' ? 'h2' : alpn === 'http/1.1' ? 'https' : 'tls';
}
