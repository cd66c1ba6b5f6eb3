/** Durations and validity windows in words: "expired 3 days ago", "valid for 364 more days". */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A rounded-down duration in the largest unit that keeps it readable, e.g. [3, 'days']. */
function durationParts(ms: number): [number, string] {
  const abs = Math.abs(ms);
  const unit = (n: number, word: string): [number, string] => [n, `${word}${n === 1 ? '' : 's'}`];
  if (abs < MINUTE) return unit(Math.floor(abs / 1000), 'second');
  if (abs < HOUR) return unit(Math.floor(abs / MINUTE), 'minute');
  if (abs < 2 * DAY) return unit(Math.floor(abs / HOUR), 'hour');
  if (abs < 730 * DAY) return unit(Math.floor(abs / DAY), 'day');
  return unit(Math.floor(abs / (365.25 * DAY)), 'year');
}

export function durationInWords(ms: number): string {
  return durationParts(ms).join(' ');
}

export type ValidityState = 'current' | 'expired' | 'not-yet-valid';

export interface ValidityWords {
  state: ValidityState;
  words: string;
}

export function validityInWords(notBefore: Date, notAfter: Date, now = new Date()): ValidityWords {
  if (now < notBefore) {
    return {
      state: 'not-yet-valid',
      words: `not valid yet: starts in ${durationInWords(notBefore.getTime() - now.getTime())}`,
    };
  }
  if (now > notAfter)
    return { state: 'expired', words: `expired ${durationInWords(now.getTime() - notAfter.getTime())} ago` };
  const [n, unit] = durationParts(notAfter.getTime() - now.getTime());
  return { state: 'current', words: `valid for ${n} more ${unit}` };
}
