/** Parsing and validating option values shared by several commands. Bad values are UsageErrors. */
import { printable, UsageError } from '../errors.js';
import type { Protocol, TlsVersion } from '../servers/types.js';

/**
 * A comma-separated list whose every item must be one of `allowed` (or a spelling `normalise`
 * maps to one); returns them in `allowed` order. `help` lists what is accepted, aliases too.
 */
export function parseChoiceList<T extends string>(
  value: string,
  allowed: readonly T[],
  option: string,
  normalise: (item: string) => T | undefined = (item) => allowed.find((a) => a === item),
  help = allowed.join(', '),
): T[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} needs at least one value; allowed: ${help}.`);
  const chosen = new Set<T>();
  for (const item of items) {
    const found = normalise(item);
    if (!found) throw new UsageError(`${option}: unknown value "${printable(item)}"; allowed: ${help}.`);
    chosen.add(found);
  }
  return allowed.filter((a) => chosen.has(a));
}

/**
 * Every way the tool writes a TLS version is accepted back: 1.3, TLS 1.3 (the reports),
 * TLSv1.3 (handshakes), tls1.3 (server names).
 */
export function findTlsVersion(item: string): TlsVersion | undefined {
  const match = /^(?:tls\s*v?\s*)?(1\.[23])$/i.exec(item.trim());
  return match ? (match[1] as TlsVersion) : undefined;
}
export const TLS_VERSION_HELP = '1.2, 1.3 (also written TLS 1.3, TLSv1.3, tls1.3)';

export function parseTlsVersion(value: string, option: string): TlsVersion {
  const found = findTlsVersion(value);
  if (!found)
    throw new UsageError(`${option}: unknown value "${printable(value)}"; allowed: ${TLS_VERSION_HELP}.`);
  return found;
}

/** Protocol names in any case, and the names of what they speak (HTTP/1.1 is https, HTTP/2 is h2). */
const PROTOCOL_ALIASES: Record<string, Protocol> = {
  tls: 'tls',
  https: 'https',
  'http/1.1': 'https',
  h2: 'h2',
  http2: 'h2',
  'http/2': 'h2',
  grpc: 'grpc',
};
export function findProtocol(item: string): Protocol | undefined {
  return PROTOCOL_ALIASES[item.trim().toLowerCase()];
}
export const PROTOCOL_HELP = 'tls, https (or HTTP/1.1), h2 (or HTTP/2), grpc; any case';

export function parseChoice<T extends string>(value: string, allowed: readonly T[], option: string): T {
  const found = allowed.find((a) => a === value);
  if (!found)
    throw new UsageError(`${option}: unknown value "${printable(value)}"; allowed: ${allowed.join(', ')}.`);
  return found;
}

export function parsePositiveInt(value: string, option: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${option} must be a whole number from 1 to ${max}; got "${printable(value)}".`);
  }
  return n;
}

/** The shortest time an option in seconds may ask for: below it nothing could ever answer. */
export const MIN_SECONDS = 0.01;
export const MAX_SECONDS = 3600;

/** Seconds (fractions allowed) to milliseconds, from MIN_SECONDS to MAX_SECONDS. */
export function parseSeconds(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < MIN_SECONDS || n > MAX_SECONDS) {
    throw new UsageError(
      `${option} must be a number of seconds from ${MIN_SECONDS} to ${MAX_SECONDS}; got "${printable(value)}".`,
    );
  }
  return Math.round(n * 1000);
}
