/**
 * A cell's result from its plan and its client's observations: the judge's verdict, and
 * whether it met the expectation. Every path that runs cells (built-in servers, engines,
 * `--target`, `probe`) builds its results here. Pure.
 */
import type { ClientResult } from '../clients/types.js';
import { type JudgeContext, type Judgement, judge, type Verdict } from '../judge/judge.js';
import type { ServerView } from '../servers/types.js';
import type { CellResult, CellSpec, Expectation, ExpectedVerdict } from './types.js';

/** An inconclusive observation meets no expectation and fails none: it is not a judgement. */
export function meetsExpectation(expected: ExpectedVerdict, observed: Verdict): boolean | null {
  if (observed === 'inconclusive') return null;
  return expected === 'either' || expected === observed;
}

/**
 * A judgement against a whole expectation: the verdict, and for a rejection whose refuser is
 * expected (engines), who refused. An HTTP 400 where a TLS alert was promised is a FAIL
 * unless the engine states that deviation.
 */
export function meetsCellExpectation(expected: Expectation, judgement: Judgement): boolean | null {
  const met = meetsExpectation(expected.verdict, judgement.verdict);
  if (met !== true || judgement.verdict !== 'rejected' || expected.refusedBy === undefined) return met;
  return judgement.by === expected.refusedBy;
}

export function judgedCell(
  cell: CellSpec,
  outcome: ClientResult,
  context: JudgeContext,
  serverViews: ServerView[] = [],
): CellResult {
  const judgement = judge(outcome, context);
  return {
    ...cell,
    verdict: judgement.verdict,
    how: judgement.how,
    ...(judgement.by ? { refusedBy: judgement.by } : {}),
    ...(judgement.why ? { why: judgement.why } : {}),
    pass: meetsCellExpectation(cell.expected, judgement),
    handshake: outcome.handshake,
    request: outcome.request,
    serverViews,
    durationMs: outcome.endedAt - outcome.startedAt,
  };
}

/** A cell that was not run (skipped, not served): reported with its reason, never judged. */
export function unrunCell(cell: CellSpec): CellResult {
  const reason = cell.skipped ?? cell.notServed ?? 'not run';
  return {
    ...cell,
    verdict: null,
    how: cell.notServed !== undefined ? 'not served' : 'skipped',
    pass: null,
    handshake: {
      kind: 'error',
      code: cell.notServed !== undefined ? 'NOT_SERVED' : 'SKIPPED',
      detail: reason,
    },
    request: { kind: 'skipped', detail: reason },
    serverViews: [],
    durationMs: 0,
  };
}

export const isRun = (cell: Pick<CellSpec, 'skipped' | 'notServed'>): boolean =>
  cell.skipped === undefined && cell.notServed === undefined;
