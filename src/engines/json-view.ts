/**
 * The server's view as the `jvm` and `go` engines report it: they answer every request with
 * one line of JSON saying what their TLS stack saw (TLS version, ALPN, the client's certificate subject, whether it was verified).
 * A driver reads it with viewFromAnswer(); the run turns it into the cell's server view when
 * the engine keeps no per-connection record of its own (matrix/run.ts). Pure.
 */
import type { ServerView } from '../servers/types.js';

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
