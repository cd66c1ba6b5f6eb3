/**
 * Expectations for a target's judged cells: against the behaviour the user expects or the one
 * the observations fit best (asking openssl for the CertificateRequest when only that can
 * tell), or, for a per-route gateway, each route against its own policy. Says in one line what
 * the server (or a route) behaves as when it is not what was expected.
 */
import type { CellResult } from '../matrix/types.js';
import { meetsExpectation } from '../matrix/verdict.js';
import { type Behaviour, describeBehaviour, MODE_PROMISES } from '../modes.js';
import type { CertificateRequestCheck } from './certificate-request.js';
import { describeCertificateRequest } from './certificate-request.js';
import { type TargetKnowledge, targetExpectation } from './expect.js';
import {
  type BehaviourFit,
  bestFits,
  certificateRequestRow,
  describeFit,
  type FitRow,
  fitBehaviours,
  fitOf,
  targetFitRows,
} from './infer.js';
import type { TargetCell } from './plan.js';
import { routeJudging } from './routes.js';

export interface JudgedTarget {
  cells: CellResult[];
  /** "judged against X, as expected. The observations fit ...". */
  headline: string;
  notes: string[];
}

const cellLabel = (cell: Pick<CellResult, 'identity' | 'protocol' | 'tls'>) =>
  `${cell.identity} over ${cell.protocol}, TLS ${cell.tls}`;

function fitRows(
  planned: readonly TargetCell[],
  observed: readonly CellResult[],
  knowledge: TargetKnowledge,
): FitRow[] {
  const traits = new Map(planned.map(({ identity, spec }) => [spec.index, identity.traits]));
  const conclusive = observed.filter(
    (cell): cell is CellResult & { verdict: 'accepted' | 'rejected' } =>
      cell.verdict === 'accepted' || cell.verdict === 'rejected',
  );
  return targetFitRows(
    conclusive.map((cell) => ({
      label: cellLabel(cell),
      traits: traits.get(cell.index)!,
      verdict: cell.verdict,
    })),
    knowledge,
  );
}

function withExpectation(
  cell: CellResult,
  planned: TargetCell,
  behaviour: Behaviour,
  knowledge: TargetKnowledge,
): CellResult {
  const expected = targetExpectation(behaviour, planned.identity.traits, knowledge);
  return {
    ...cell,
    mode: behaviour.mode,
    expected,
    pass: cell.verdict === null ? null : meetsExpectation(expected.verdict, cell.verdict),
  };
}

/** When the expected behaviour failed and another fits every cell, say so in one line. */
function behavesAs(who: string, expect: Behaviour, fits: readonly BehaviourFit[], failed: number): string[] {
  const best = fits[0];
  if (failed === 0 || !best || best.differences.length > 0) return [];
  const expected = fitOf(fits, expect);
  return [
    `${who} behaves as ${describeBehaviour(best.behaviour)}, not ${describeBehaviour(expect)}` +
      `${expected ? ` (${expected.differences.length} observation(s) contradict the expected one)` : ''}.`,
  ];
}

export async function judgeWhole(
  planned: readonly TargetCell[],
  observed: readonly CellResult[],
  knowledge: TargetKnowledge,
  options: { expect?: Behaviour; askCertificateRequest: () => Promise<CertificateRequestCheck> },
): Promise<JudgedTarget> {
  const rows = fitRows(planned, observed, knowledge);
  let fits = fitBehaviours(rows);
  const notes: string[] = [];
  // Only a CertificateRequest tells no_client_certs from request_client_cert: ask openssl.
  const tied = bestFits(fits).map((fit) => fit.behaviour.mode);
  if (
    !options.expect &&
    rows.length > 0 &&
    tied.some((m) => MODE_PROMISES[m].requests) &&
    tied.some((m) => !MODE_PROMISES[m].requests)
  ) {
    const check = await options.askCertificateRequest();
    notes.push(describeCertificateRequest(check));
    if (check.available) {
      rows.push(certificateRequestRow(check.sent));
      fits = fitBehaviours(rows);
    }
  }
  const behaviour = options.expect ?? fits[0]!.behaviour;
  const cells = observed.map((cell, i) => withExpectation(cell, planned[i]!, behaviour, knowledge));
  const failed = cells.filter((cell) => cell.pass === false).length;
  const against = options.expect
    ? `judged against ${describeBehaviour(options.expect)}, as expected`
    : 'judged against the behaviour the observations fit best, which is all it asserts (state the expected one with --expect-mode)';
  return {
    cells,
    headline: `${against}. ${describeFit(rows, fits)}`,
    notes: [...(options.expect ? behavesAs('The server', options.expect, fits, failed) : []), ...notes],
  };
}

export function judgeRoutes(
  planned: readonly TargetCell[],
  observed: readonly CellResult[],
  knowledge: TargetKnowledge,
): JudgedTarget {
  const cells: CellResult[] = [];
  const notes: string[] = [];
  const routes = [...new Set(planned.map((cell) => cell.route!))];
  const byRoute = new Map(routes.map((route) => [route, [] as number[]]));
  planned.forEach((cell, i) => byRoute.get(cell.route!)!.push(i));
  const judgedCells = new Array<CellResult>(observed.length);
  for (const [route, indexes] of byRoute) {
    const { behaviour, anchor } = routeJudging(route);
    const known = { ...knowledge, trustAnchor: anchor };
    const mine = indexes.map((i) => withExpectation(observed[i]!, planned[i]!, behaviour, known));
    indexes.forEach((i, k) => (judgedCells[i] = mine[k]!));
    const failed = mine.filter((cell) => cell.pass === false).length;
    if (failed > 0) {
      const rows = fitRows(
        indexes.map((i) => planned[i]!),
        indexes.map((i) => observed[i]!),
        known,
      );
      notes.push(...behavesAs(`Route ${route.name} (${route.path})`, behaviour, fitBehaviours(rows), failed));
    }
  }
  cells.push(...judgedCells);
  return {
    cells,
    headline: `judged route by route, each against its own client_mtls (${routes
      .map((route) => `${route.name} ${route.path}: ${describeBehaviour(routeJudging(route).behaviour)}`)
      .join('; ')}).`,
    notes,
  };
}
