/** Parsing and validating option values shared by several commands. Bad values are UsageErrors. */
import { printable, UsageError } from '../errors.js';

/** A comma-separated list whose every item must be one of `allowed`; returns them in `allowed` order. */
export function parseChoiceList<T extends string>(
  value: string,
  allowed: readonly T[],
  option: string,
  normalise: (item: string) => T | undefined = (item) => allowed.find((a) => a === item),
): T[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new UsageError(`${option} needs at least one value; allowed: ${allowed.join(', ')}.`);
  const chosen = new Set<T>();
  for (const item of items) {
    const found = normalise(item);
    if (!found)
      throw new UsageError(`${option}: unknown value "${printable(item)}"; allowed: ${allowed.join(', ')}.`);
    chosen.add(found);
  }
  return allowed.filter((a) => chosen.has(a));
}

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
