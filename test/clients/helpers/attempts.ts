/** Client attempts built from the generated PKI's identities, plus the test-only key-mismatch one. */
import type { ClientAttempt } from '../../../src/clients/types.js';
import { findIdentity, type PkiMaterial } from '../../../src/pki/types.js';
import type { Protocol, TlsVersion } from '../../../src/servers/types.js';

/** The identities the client tests use; key-mismatch = the valid chain with another key. */
export const TEST_IDENTITIES = [
  'none',
  'valid',
  'self-signed',
  'untrusted-ca',
  'expired',
  'wrong-server-trust',
  'key-mismatch',
] as const;
export type TestIdentity = (typeof TEST_IDENTITIES)[number];

export function attemptFor(
  pki: PkiMaterial,
  identity: TestIdentity,
  protocol: Protocol,
  tls: TlsVersion,
  port: number,
  timeoutMs = 5_000,
): ClientAttempt {
  const material = findIdentity(pki, identity === 'key-mismatch' ? 'valid' : identity);
  if (!material) throw new Error(`identity ${identity} is missing from the PKI`);
  const attempt: ClientAttempt = {
    protocol,
    tls,
    host: '127.0.0.1',
    port,
    serverTrust: material.serverTrust,
    timeoutMs,
  };
  if (material.chain && material.key) {
    attempt.certChain = material.chain;
    attempt.key = identity === 'key-mismatch' ? findIdentity(pki, 'self-signed')?.key : material.key;
  }
  return attempt;
}

/** Runs `work` over `items` with at most `limit` in flight (the machine has two cores). */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Counts of the handle types a client could leak. */
export function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (/TCPSocketWrap|TLSWrap|Timeout|Immediate|TCPServerWrap|Http2Session/.test(type)) {
      counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}
