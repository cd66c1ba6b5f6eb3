/**
 * The server's view of a connection as an external engine reports it in its answer: the
 * `jvm` and `go` engines answer every request with one line of JSON saying what their TLS
 * stack saw (TLS version, ALPN, the client's certificate subject, whether it was verified).
 * A driver reads it with viewFromAnswer(); the run turns it into the cell's server view when
 * the engine keeps no per-connection record of its own. Pure.
 */
import type { ClientResult } from '../clients/types.js';
import type { Mode } from '../modes.js';
import type { ServerView } from '../servers/types.js';
import type { EngineDriver } from './types.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The fields an engine's JSON answer may carry, as a partial view; undefined for other answers. */
export function viewFromJson(answer: unknown, engine: string): Partial<ServerView> | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const seen = answer as Record<string, unknown>;
  if (seen.engine !== engine || typeof seen.presented !== 'boolean') return undefined;
  const view: Partial<ServerView> = { presented: seen.presented };
  const tlsVersion = text(seen.tlsVersion);
  if (tlsVersion) view.tlsVersion = tlsVersion;
  if ('alpn' in seen) view.alpn = text(seen.alpn) ?? null;
  const subject = text(seen.subject);
  if (subject) view.subject = subject;
  if (typeof seen.verified === 'boolean') view.verified = seen.presented ? seen.verified : null;
  return view;
}

/**
 * A whole view for a cell whose engine told what it saw in its answer. The engine answered,
 * so it accepted the connection; the answer does not say when TCP accepted it, so the
 * attempt's start stands in.
 */
export function viewFromOutcome(
  driver: Pick<EngineDriver, 'name' | 'viewFromAnswer'>,
  mode: Mode,
  index: number,
  outcome: ClientResult,
): ServerView | undefined {
  if (outcome.answer === undefined || !driver.viewFromAnswer) return undefined;
  const partial = driver.viewFromAnswer(outcome.answer, mode);
  if (!partial) return undefined;
  return {
    connection: index,
    remotePort: outcome.localPort ?? 0,
    acceptedAt: outcome.startedAt,
    mode,
    tlsVersion: null,
    alpn: null,
    protocol: outcome.protocol,
    presented: false,
    verified: null,
    verifyError: null,
    decision: 'accepted',
    stage: null,
    reason: `as ${driver.name} reported in its answer`,
    ...partial,
  };
}
