/** Turning a client's observations into a verdict. Pure. */
import type { ClientResult } from '../clients/types.js';
import type { Verdict } from './types.js';

/** Accepted means the request got the server's real answer; anything else is a rejection. */
export function verdictOf(result: Pick<ClientResult, 'request'>): Verdict {
  return result.request.kind === 'ok' ? 'accepted' : 'rejected';
}
