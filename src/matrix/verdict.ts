/** Turning a client's observations into a verdict. Pure. */
import type { ClientResult } from '../clients/types.js';
import type { ExpectedVerdict, Verdict } from './types.js';

/** Accepted means the request got the server's real answer; anything else is a rejection. */
export function verdictOf(result: Pick<ClientResult, 'request'>): Verdict {
  return result.request.kind === 'ok' ? 'accepted' : 'rejected';
}

export function meetsExpectation(expected: ExpectedVerdict, observed: Verdict): boolean {
  return expected === 'either' || expected === observed;
}
