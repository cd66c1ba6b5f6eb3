/** Awaiting work that cannot itself be cancelled, without making an interrupt wait for it. */
import { Interrupted } from './errors.js';

/**
 * `work`, or an Interrupted rejection (`interrupted <while>`) as soon as `signal` aborts,
 * whichever comes first. The work itself goes on; abandon it only when what is left of it is
 * short and owns nothing that needs tearing down (a key in memory, a certificate signature).
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return work;
  const interrupted = () => new Interrupted(`interrupted ${what}`);
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(interrupted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
