/**
 * Which of the five modes do observations fit? Each row is one observation (a cell's verdict,
 * or whether the server sent a CertificateRequest) with what each mode predicts for it;
 * 'either' predicts nothing and fits anything. Pure: used by `matrix --target` and `probe`.
 */
import type { Verdict } from '../matrix/types.js';
import { MODE_PROMISES, MODES, type Mode } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import { type TargetKnowledge, targetExpectation } from './expect.js';

export interface FitRow {
  /** What was observed, in words: "self-signed over https, TLS 1.3". */
  label: string;
  /** 'accepted' / 'rejected', or any other observed value the predictions use. */
  observed: string;
  /** Each mode's prediction; 'either' fits whatever was observed. */
  expected: Readonly<Record<Mode, string>>;
}

export interface FitDifference {
  label: string;
  expected: string;
  observed: string;
}

export interface ModeFit {
  mode: Mode;
  /** Rows this mode predicted (not 'either'). */
  decided: number;
  differences: FitDifference[];
}

export type ModeClass = 'not-requested' | 'optional' | 'required';

export function classOfMode(mode: Mode): ModeClass {
  const promise = MODE_PROMISES[mode];
  if (!promise.requests) return 'not-requested';
  return promise.requires ? 'required' : 'optional';
}

/** One row per observed cell, with each mode's expectation for a target (unknowables 'either'). */
export function targetFitRows(
  cells: readonly { label: string; traits: IdentityTraits; verdict: Verdict }[],
  knowledge: TargetKnowledge,
): FitRow[] {
  return cells.map((cell) => ({
    label: cell.label,
    observed: cell.verdict,
    expected: Object.fromEntries(
      MODES.map((mode) => [mode, targetExpectation(mode, cell.traits, knowledge).verdict]),
    ) as Record<Mode, string>,
  }));
}

/** The CertificateRequest as an observation: only the modes that request one send it. */
export function certificateRequestRow(sent: boolean): FitRow {
  return {
    label: 'CertificateRequest',
    observed: sent ? 'sent' : 'not sent',
    expected: Object.fromEntries(
      MODES.map((mode) => [mode, MODE_PROMISES[mode].requests ? 'sent' : 'not sent']),
    ) as Record<Mode, string>,
  };
}

/** Every mode's fit, best first: fewest differences, then the modes' canonical order. */
export function fitModes(rows: readonly FitRow[]): ModeFit[] {
  const fits = MODES.map((mode): ModeFit => {
    const differences: FitDifference[] = [];
    let decided = 0;
    for (const row of rows) {
      const expected = row.expected[mode];
      if (expected === 'either') continue;
      decided++;
      if (expected !== row.observed) differences.push({ label: row.label, expected, observed: row.observed });
    }
    return { mode, decided, differences };
  });
  return fits.sort(
    (a, b) => a.differences.length - b.differences.length || MODES.indexOf(a.mode) - MODES.indexOf(b.mode),
  );
}

/** The fits that share the fewest differences. */
export function bestFits(fits: readonly ModeFit[]): ModeFit[] {
  const least = fits[0]?.differences.length ?? 0;
  return fits.filter((fit) => fit.differences.length === least);
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
 * "No mode fits every cell; closest: X, 3 cells differ: ...".
 */
export function describeFit(rows: readonly FitRow[], fits: readonly ModeFit[], unit = 'cell'): string {
  const best = bestFits(fits);
  const top = best[0];
  if (!top) return 'There is nothing to fit.';
  const total = rows.length;
  if (top.differences.length === 0) {
    if (best.length === 1) return `The observations fit ${top.mode}: all ${plural(total, unit)}.`;
    return (
      `The observations fit ${best.map((fit) => fit.mode).join(' and ')} equally (all ${plural(total, unit)}): ` +
      'these observations cannot tell them apart.'
    );
  }
  const closest = best.map((fit) => fit.mode).join(' or ');
  return (
    `No mode fits every ${unit}; closest: ${closest}, ${plural(top.differences.length, unit)} ` +
    `${top.differences.length === 1 ? 'differs' : 'differ'}: ${listDifferences(top.differences)}.`
  );
}
