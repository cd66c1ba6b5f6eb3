/**
 * An engine's expectation of a cell: the oracle's, adjusted by the deviations the engine
 * states (engines/types.ts). A deviation that applies changes the expected verdict (the
 * engine behaves as another mode would) or who is expected to refuse (an HTTP 400 from the
 * application instead of a TLS alert). Anything not stated is expected as the mode promises,
 * so an unstated departure fails its cell. Pure.
 */
import type { CertificateCase, Deviation, EngineDriver } from '../engines/types.js';
import type { Mode } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { expectCell, failureKinds, type ServerChecks } from './oracle.js';
import type { Expectation } from './types.js';

export interface EngineCell {
  mode: Mode;
  protocol: Protocol;
  tls: TlsVersion;
  traits: IdentityTraits;
}

/** What a certificate is, in the words deviations use. */
export function certificateCases(traits: IdentityTraits, checks: ServerChecks): CertificateCase[] {
  if (!traits.presents) return ['none'];
  const kinds = failureKinds(traits, checks);
  return kinds.length > 0 ? kinds : ['verifies'];
}

const within = <T>(list: readonly T[] | undefined, value: T): boolean => !list || list.includes(value);

export function deviationsFor(
  driver: Pick<EngineDriver, 'deviations'>,
  cell: EngineCell,
  checks: ServerChecks,
): Deviation[] {
  // The control row is the client's own refusal: no server's quirk reaches it.
  if (!cell.traits.trustsServer) return [];
  const cases = certificateCases(cell.traits, checks);
  return driver.deviations.filter(
    (deviation) =>
      within(deviation.modes, cell.mode) &&
      within(deviation.protocols, cell.protocol) &&
      within(deviation.tls, cell.tls) &&
      (deviation.checksCrl === undefined || deviation.checksCrl === checks.checksCrl) &&
      (!deviation.certificates || deviation.certificates.some((kind) => cases.includes(kind))),
  );
}

/** The oracle's expectation with the engine's stated deviations applied. */
export function engineExpectation(
  driver: Pick<EngineDriver, 'name' | 'deviations'>,
  cell: EngineCell,
  checks: ServerChecks,
): Expectation {
  const oracle = expectCell(cell.mode, cell.traits, checks);
  const applied = deviationsFor(driver, cell, checks);
  let { verdict, reason } = oracle;
  const stated: string[] = [];
  const behaves = applied.find((deviation) => deviation.behaves);
  if (behaves?.behaves) {
    const as = expectCell(behaves.behaves.mode, cell.traits, {
      ...checks,
      forgives: behaves.behaves.forgives,
    });
    if (as.verdict !== verdict) {
      reason = `the mode promises ${verdict} (${oracle.reason}), but ${driver.name} ${behaves.reason}: ${as.reason}`;
      verdict = as.verdict;
      stated.push(behaves.reason);
    }
  }
  if (verdict !== 'rejected')
    return { verdict, reason, source: 'oracle', ...(stated.length ? { deviations: stated } : {}) };
  if (!cell.traits.trustsServer) return { verdict, reason, source: 'oracle', refusedBy: 'client' };
  const how = applied.find((deviation) => deviation.refusedBy);
  if (how?.refusedBy && how.refusedBy !== 'tls') {
    stated.push(how.reason);
    reason = `${reason}; ${driver.name} ${how.reason}`;
  }
  return {
    verdict,
    reason,
    source: 'oracle',
    refusedBy: how?.refusedBy ?? 'tls',
    ...(stated.length ? { deviations: stated } : {}),
  };
}
