/**
 * Is anything listening at the target? One TCP connect, or repeated connects for a bounded
 * time (`--wait`) for CI jobs that start their server in the background just before.
 * An unreachable target is an InputError that says why, not a matrix of failed cells.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, Interrupted } from '../errors.js';
import { formatTarget, type TargetAddress } from './parse.js';

/** How often to retry while waiting: short enough that CI does not wait needlessly. */
export const RETRY_INTERVAL_MS = 100;
/** Upper bound on one connect attempt (a firewalled port never answers). */
const CONNECT_LIMIT_MS = 5000;

export type ConnectOutcome = { ok: true } | { ok: false; code: string; message: string };

/** One TCP connect, closed again at once. Never throws; never outlives `limitMs`. */
export function tryConnect(
  target: TargetAddress,
  limitMs: number,
  signal?: AbortSignal,
): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const finish = (outcome: ConnectOutcome) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ ok: false, code: 'ABORTED', message: 'aborted' });
    const timer = setTimeout(
      () => finish({ ok: false, code: 'ETIMEDOUT', message: `no answer within ${limitMs} ms` }),
      limitMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, code: error.code ?? 'ERROR', message: error.message }),
    );
  });
}

/** A connect failure in the words a person debugging a CI job needs. */
export function describeConnectFailure(code: string, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'host name not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to host';
    case 'ETIMEDOUT':
      return 'no answer (timed out)';
    default:
      return `${code}: ${message}`;
  }
}

/**
 * Resolves once the target accepts a TCP connection. With `seconds` 0 it tries exactly once;
 * otherwise it retries every RETRY_INTERVAL_MS until `seconds` have passed, then throws an
 * InputError. Aborting the signal throws Interrupted. No socket or timer outlives the call.
 */
export async function waitForTarget(
  target: TargetAddress,
  seconds: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + Math.max(0, seconds) * 1000;
  let attempts = 0;
  for (;;) {
    attempts++;
    const remaining = deadline - Date.now();
    // A single try gets the whole limit: on a busy machine a loopback connect can take a while.
    const limit =
      seconds > 0 ? Math.max(RETRY_INTERVAL_MS, Math.min(CONNECT_LIMIT_MS, remaining)) : CONNECT_LIMIT_MS;
    const outcome = await tryConnect(target, limit, signal);
    if (outcome.ok) return;
    if (signal?.aborted) throw new Interrupted('interrupted while waiting for the target');
    if (Date.now() + RETRY_INTERVAL_MS > deadline) {
      const why = describeConnectFailure(outcome.code, outcome.message);
      const where = formatTarget(target);
      throw new InputError(
        seconds > 0
          ? `cannot reach ${where} — ${why}, still after waiting ${seconds} s (${attempts} attempts); is the server running?`
          : `cannot reach ${where} — ${why}; is the server running? use --wait N to wait up to N seconds for it to start`,
      );
    }
    try {
      await sleep(RETRY_INTERVAL_MS, undefined, { signal });
    } catch {
      throw new Interrupted('interrupted while waiting for the target');
    }
  }
}
