/**
 * The lifetime of one client attempt: one timer for handshake + request together, the
 * caller's abort signal, the observations gathered so far, and the cleanups that must run
 * on every path. The first outcome wins; later events are ignored.
 */
import type { TLSSocket } from 'node:tls';
import { handshakeTimeout, requestTimeout, skipped } from './classify.js';
import type { ClientAttempt, ClientResult, HandshakeObservation, RequestObservation } from './types.js';

export class AttemptScope {
  readonly startedAt = Date.now();
  readonly result: Promise<ClientResult>;
  /** Set as soon as the client knows it (TCP connect). */
  localPort: number | undefined;
  /** Set when the handshake completed or failed; undefined while it is in progress. */
  handshake: HandshakeObservation | undefined;
  answer: unknown;
  /** Whether the server answered the ClientHello; undefined while the socket is not watched. */
  private serverHello: boolean | undefined;
  private settled = false;
  private readonly cleanups: Array<() => void> = [];
  private resolve!: (result: ClientResult) => void;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.stop('aborted');

  constructor(readonly attempt: ClientAttempt) {
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.timer = setTimeout(() => this.stop('timeout'), attempt.timeoutMs);
    attempt.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (attempt.signal?.aborted) queueMicrotask(this.onAbort);
  }

  get done(): boolean {
    return this.settled;
  }

  /** Runs when the attempt ends, whatever ended it (in reverse order of registration). */
  onCleanup(cleanup: () => void): void {
    if (this.settled) cleanup();
    else this.cleanups.push(cleanup);
  }

  /**
   * Notes when the client derives its first keys ('keylog'), which it does only after the
   * server answered the ClientHello in the pinned version: the mark that separates a refusal
   * of the version or ALPN from a refusal of the client certificate.
   */
  watchServerHello(socket: TLSSocket): void {
    this.serverHello ??= false;
    socket.once('keylog', () => {
      this.serverHello = true;
    });
  }

  handshakeOk(observation: Omit<HandshakeObservation, 'kind' | 'serverHello'>): void {
    if (!this.handshake) this.handshake = { kind: 'ok', ...observation, serverHello: true };
  }

  /** The handshake failed: the request is skipped and the attempt ends. */
  failHandshake(observation: HandshakeObservation): void {
    if (this.settled || this.handshake) return;
    this.handshake =
      this.serverHello === undefined || observation.serverHello !== undefined
        ? observation
        : { ...observation, serverHello: this.serverHello };
    this.finish(skipped());
  }

  /** The request's outcome, after a completed handshake; ends the attempt. */
  finish(request: RequestObservation): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.attempt.signal?.removeEventListener('abort', this.onAbort);
    for (const cleanup of this.cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // A failing cleanup must not stop the others; the attempt's outcome is already known.
      }
    }
    const handshake = this.handshake ?? {
      kind: 'error',
      detail: 'attempt ended without a handshake outcome',
    };
    const result: ClientResult = {
      protocol: this.attempt.protocol,
      handshake,
      request: handshake.kind === 'ok' ? request : skipped(),
      startedAt: this.startedAt,
      endedAt: Date.now(),
    };
    if (this.localPort !== undefined) result.localPort = this.localPort;
    if (this.answer !== undefined) result.answer = this.answer;
    this.resolve(result);
  }

  /** Timeout or abort: whatever stage the attempt is in gets that outcome. */
  private stop(why: 'timeout' | 'aborted'): void {
    if (this.settled) return;
    const ms = this.attempt.timeoutMs;
    if (why === 'aborted') {
      const aborted = { kind: 'error' as const, code: 'ABORTED', detail: 'the attempt was aborted' };
      if (!this.handshake) this.failHandshake(aborted);
      else this.finish(aborted);
    } else if (!this.handshake) {
      this.failHandshake(handshakeTimeout(ms));
    } else {
      this.finish(requestTimeout(ms));
    }
  }
}
