/**
 * Which behaviour (a mode, plus the verification failures it forgives) do observations fit?
 * Each row is one observation (a judged cell, or whether the server sent a
 * CertificateRequest) with what each candidate predicts for it; 'either' predicts nothing.
 * Pure: used by `matrix --target` and `probe`.
 */
import {
  type Behaviour,
  describeBehaviour,
  FORGIVABLE,
  type Forgivable,
  MODE_PROMISES,
  MODES,
  type Mode,
} from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import { type TargetKnowledge, targetExpectation } from './expect.js';

export interface FitRow {
  /** What was observed, in words: "self-signed over https, TLS 1.3". */
  label: string;
  /** 'accepted' / 'rejected', or any other observed value the predictions use. */
  observed: string;
  /** Each candidate's prediction, in CANDIDATES order; 'either' fits whatever was observed. */
  expected: readonly string[];
}

export interface FitDifference {
  label: string;
  expected: string;
  observed: string;
}

export interface BehaviourFit {
  behaviour: Behaviour;
  /** Rows this candidate predicted (not 'either'). */
  decided: number;
  differences: FitDifference[];
}

export type ModeClass = 'not-requested' | 'optional' | 'required';

export function classOfMode(mode: Mode): ModeClass {
  const promise = MODE_PROMISES[mode];
  if (!promise.requests) return 'not-requested';
  return promise.requires ? 'required' : 'optional';
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((subset) => [...subset, item])], [[]]);
}

/**
 * Every behaviour a server can have: each mode, and each verifying mode with each proper
 * subset of forgivable failures (forgiving all of them is not verifying). Simplest first.
 */
export const CANDIDATES: readonly Behaviour[] = MODES.flatMap((mode) =>
  MODE_PROMISES[mode].verifies
    ? subsets<Forgivable>(FORGIVABLE)
        .filter((forgives) => forgives.length < FORGIVABLE.length)
        .map((forgives) => ({ mode, forgives: FORGIVABLE.filter((kind) => forgives.includes(kind)) }))
    : [{ mode, forgives: [] }],
);

/** One row per observed cell, with each candidate's expectation for a target. */
export function targetFitRows(
  cells: readonly { label: string; traits: IdentityTraits; verdict: 'accepted' | 'rejected' }[],
  knowledge: TargetKnowledge,
): FitRow[] {
  return cells.map((cell) => ({
    label: cell.label,
    observed: cell.verdict,
    expected: CANDIDATES.map((behaviour) => targetExpectation(behaviour, cell.traits, knowledge).verdict),
  }));
}

/** The CertificateRequest as an observation: only the modes that request one send it. */
export function certificateRequestRow(sent: boolean): FitRow {
  return {
    label: 'CertificateRequest',
    observed: sent ? 'sent' : 'not sent',
    expected: CANDIDATES.map((b) => (MODE_PROMISES[b.mode].requests ? 'sent' : 'not sent')),
  };
}

/** Every candidate's fit, best first: fewest differences, then fewest forgives, then mode order. */
export function fitBehaviours(rows: readonly FitRow[]): BehaviourFit[] {
  const fits = CANDIDATES.map((behaviour, i): BehaviourFit => {
    const differences: FitDifference[] = [];
    let decided = 0;
    for (const row of rows) {
      const expected = row.expected[i]!;
      if (expected === 'either') continue;
      decided++;
      if (expected !== row.observed) differences.push({ label: row.label, expected, observed: row.observed });
    }
    return { behaviour, decided, differences };
  });
  return fits.sort(
    (a, b) =>
      a.differences.length - b.differences.length ||
      a.behaviour.forgives.length - b.behaviour.forgives.length ||
      MODES.indexOf(a.behaviour.mode) - MODES.indexOf(b.behaviour.mode),
  );
}

/** The fits that share the fewest differences. */
export function bestFits(fits: readonly BehaviourFit[]): BehaviourFit[] {
  const least = fits[0]?.differences.length ?? 0;
  return fits.filter((fit) => fit.differences.length === least);
}

/** The fit of one given behaviour. */
export function fitOf(fits: readonly BehaviourFit[], behaviour: Behaviour): BehaviourFit | undefined {
  const name = describeBehaviour(behaviour);
  return fits.find((fit) => describeBehaviour(fit.behaviour) === name);
}

/** The one class all these modes share, or null when they differ. */
export function sharedClass(modes: readonly Mode[]): ModeClass | null {
  const classes = new Set(modes.map(classOfMode));
  return classes.size === 1 ? [...classes][0]! : null;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function listDifferences(differences: readonly FitDifference[], limit = 5): string {
  const shown = differences
    .slice(0, limit)
    .map((d) => `${d.label} (expected ${d.expected}, observed ${d.observed})`)
    .join('; ');
  return differences.length > limit ? `${shown}; and ${differences.length - limit} more` : shown;
}

/**
 * One sentence on how the observations fit: "The observations fit X: all 40 cells." or
 * "No behaviour fits every cell; closest: X, 3 cells differ: ...".
 */
export function describeFit(rows: readonly FitRow[], fits: readonly BehaviourFit[], unit = 'cell'): string {
  const best = bestFits(fits);
  const top = best[0];
  if (!top || rows.length === 0) return 'There is nothing to fit: no observation was conclusive.';
  const total = rows.length;
  const names = (list: readonly BehaviourFit[]) => list.map((fit) => describeBehaviour(fit.behaviour));
  if (top.differences.length === 0) {
    if (best.length === 1) return `The observations fit ${names(best)[0]}: all ${plural(total, unit)}.`;
    const shown = names(best).slice(0, 3);
    return (
      `The observations fit ${shown.join('; ')}${best.length > 3 ? ` and ${best.length - 3} more` : ''} equally ` +
      `(all ${plural(total, unit)}): these observations cannot tell them apart; the simplest is taken.`
    );
  }
  return (
    `No behaviour fits every ${unit}; closest: ${names(best).slice(0, 3).join('; or ')}, ${plural(top.differences.length, unit)} ` +
    `${top.differences.length === 1 ? 'differs' : 'differ'}: ${listDifferences(top.differences)}.`
  );
}
