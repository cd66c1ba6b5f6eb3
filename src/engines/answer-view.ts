/**
 * The server's view as an external engine reports it: each engine answers an accepted request
 * with a small JSON body built from its own variables (nginx $ssl_client_verify, Apache
 * SSL_CLIENT_VERIFY, Caddy {http.request.tls.client.*}, HAProxy ssl_c_verify). This reads
 * that body into the fields of a ServerView. Pure.
 */
import type { ServerView } from '../servers/types.js';

/** What every engine's answer carries; each engine fills what it knows. */
export interface EngineAnswer {
  engine: string;
  /** The engine's own verification word: SUCCESS, NONE, FAILED:reason, a number, ... */
  verify?: string;
  subject?: string;
  protocol?: string;
  alpn?: string;
}

export function engineAnswer(answer: unknown, engine: string): EngineAnswer | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const record = answer as Record<string, unknown>;
  if (record.engine !== engine) return undefined;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  const pick = (key: string) => {
    const value = text(key);
    return value === undefined || value === '' || value === '-' ? {} : { [key]: value };
  };
  return { engine, ...pick('verify'), ...pick('subject'), ...pick('protocol'), ...pick('alpn') };
}

/** The view of an answer whose verify word the engine reads as (presented, verified, error). */
export function viewOfAnswer(
  answer: EngineAnswer,
  verification: { presented: boolean; verified: boolean | null; verifyError: string | null },
): Partial<ServerView> {
  return {
    ...verification,
    ...(answer.subject ? { subject: answer.subject } : {}),
    tlsVersion: answer.protocol ?? null,
    alpn: answer.alpn ?? null,
    decision: 'accepted',
    stage: null,
    reason: `${answer.engine} answered${answer.verify !== undefined ? ` (verify: ${answer.verify})` : ''}`,
  };
}
