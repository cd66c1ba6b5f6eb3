/**
 * Engines side by side: for each mode, identities × engines, and how each engine answered
 * each identity: accepted, a TLS alert and where it arrived (in the handshake, or on the
 * client's first read after it), a close without alert, or the application's HTTP status /
 * gRPC code; each with whether that met the expectation (the oracle plus the engine's stated
 * deviations). Protocols and TLS versions are summed up per grid cell: one outcome when they
 * agree, else one per variant ("1.2: …", "h2: …"). Pure: read by every report format.
 */
import type { Engine } from '../engines/registry.js';
import type { CellResult, MatrixResult } from '../matrix/types.js';
import { isRun } from '../matrix/verdict.js';
import type { Mode } from '../modes.js';
import { PROTOCOLS, type Protocol, type TlsVersion } from '../servers/types.js';

export type OutcomeKind =
  | 'accepted'
  /** A TLS alert from the server. */
  | 'alert'
  /** Closed or reset with no alert. */
  | 'close'
  /** The application refused: an HTTP status, or a gRPC code. */
  | 'http'
  | 'grpc'
  /** The client refused the server's certificate (wrong-server-trust). */
  | 'client'
  | 'inconclusive'
  /** A rejection that fits none of the above: `how` says what it was. */
  | 'other';

/** Where a TLS refusal arrived: in the handshake, or on the first read after it (TLS 1.3). */
export type Where = 'handshake' | 'first_read';

export interface Outcome {
  kind: OutcomeKind;
  alert: string | null;
  where: Where | null;
  /** "HTTP 400", "gRPC UNAUTHENTICATED" for an application's refusal. */
  status: string | null;
  httpStatus: number | null;
  grpcCode: number | null;
  /** The judge's words, for kinds 'inconclusive' and 'other'. */
  how: string | null;
  protocols: Protocol[];
  tls: TlsVersion[];
  /** Which protocols / TLS versions showed this outcome, when others showed another: "1.2", "h2". */
  variant: string | null;
  cells: number;
  /** Every cell met its expectation (true), one did not (false), or one proves nothing (null). */
  pass: boolean | null;
}

export interface SideBySideEntry {
  /** Run cells, grouped by what they showed; empty when none ran. */
  outcomes: Outcome[];
  pass: boolean | null;
  /** Why no cell ran (the engine cannot express the mode, is not installed, ...). */
  notRun: string | null;
}

export interface SideBySideColumn {
  /** The engine's name, or the server's when one engine runs several servers in the mode. */
  key: string;
  engine: Engine;
}

export interface SideBySideMode {
  mode: Mode;
  columns: SideBySideColumn[];
  rows: { identity: string; entries: (SideBySideEntry | null)[] }[];
}

const engineOf = (cell: CellResult): Engine => cell.engine ?? 'node';
const serverBase = (cell: CellResult): string => cell.server.replace(/@tls[\d.]+$/, '');

/** The engines of a run; the side-by-side view is for runs of two or more. */
export const enginesOf = (result: MatrixResult): Engine[] => [...new Set(result.cells.map(engineOf))];

/** What one run cell showed, without where it came from (protocol, TLS version). */
function outcomeOf(cell: CellResult): Omit<Outcome, 'protocols' | 'tls' | 'variant' | 'cells' | 'pass'> {
  const base = { alert: null, where: null, status: null, httpStatus: null, grpcCode: null, how: null };
  const { handshake: h, request: r } = cell;
  if (cell.verdict === 'accepted') return { ...base, kind: 'accepted' };
  if (cell.verdict === 'inconclusive') return { ...base, kind: 'inconclusive', how: cell.how };
  if (cell.refusedBy === 'client') return { ...base, kind: 'client' };
  if (h.kind === 'alert') return { ...base, kind: 'alert', alert: h.alert ?? '?', where: 'handshake' };
  if (h.kind === 'closed') return { ...base, kind: 'close', where: 'handshake' };
  if (r.kind === 'alert') return { ...base, kind: 'alert', alert: r.alert ?? '?', where: 'first_read' };
  if (r.kind === 'closed') return { ...base, kind: 'close', where: 'first_read' };
  if (r.kind === 'refused') {
    const status = r.status ?? null;
    return cell.protocol === 'grpc'
      ? { ...base, kind: 'grpc', status, grpcCode: r.grpcCode ?? null }
      : { ...base, kind: 'http', status, httpStatus: r.httpStatus ?? null };
  }
  return { ...base, kind: 'other', how: cell.how };
}

const passOf = (cells: readonly CellResult[]): boolean | null =>
  cells.some((cell) => cell.pass === false)
    ? false
    : cells.length > 0 && cells.every((cell) => cell.pass === true)
      ? true
      : null;

const uniq = <T>(values: readonly T[]): T[] => [...new Set(values)];
const pairs = (cells: readonly CellResult[]) => new Set(cells.map((cell) => `${cell.protocol} ${cell.tls}`));

/** Labels the groups by what tells them apart: TLS version, else protocol, else both. */
function labels(groups: readonly CellResult[][], all: readonly CellResult[]): string[] {
  if (groups.length === 1) return [''];
  const protocols = uniq(all.map((cell) => cell.protocol));
  const versions = uniq(all.map((cell) => cell.tls));
  const whole = (group: CellResult[], ps: readonly Protocol[], ts: readonly TlsVersion[]) =>
    pairs(group).size === ps.length * ts.length &&
    ps.every((p) => ts.every((t) => pairs(group).has(`${p} ${t}`)));
  const tlsOf = (group: CellResult[]) => uniq(group.map((cell) => cell.tls)).sort();
  const protocolsOf = (group: CellResult[]) =>
    PROTOCOLS.filter((protocol) => group.some((cell) => cell.protocol === protocol));
  if (groups.every((group) => whole(group, protocols, tlsOf(group))))
    return groups.map((group) => tlsOf(group).join(', '));
  if (groups.every((group) => whole(group, protocolsOf(group), versions)))
    return groups.map((group) => protocolsOf(group).join(', '));
  return groups.map((group) => [...pairs(group)].join(', '));
}

function entryOf(cells: readonly CellResult[]): SideBySideEntry {
  const run = cells.filter(isRun);
  if (run.length === 0) {
    const first = cells[0];
    return { outcomes: [], pass: null, notRun: first?.skipped ?? first?.notServed ?? 'not run' };
  }
  const groups = new Map<string, CellResult[]>();
  for (const cell of run) {
    const key = JSON.stringify(outcomeOf(cell));
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const grouped = [...groups.values()];
  const names = labels(grouped, run);
  const outcomes = grouped.map((group, index): Outcome => ({
    ...outcomeOf(group[0]!),
    protocols: PROTOCOLS.filter((protocol) => group.some((cell) => cell.protocol === protocol)),
    tls: uniq(group.map((cell) => cell.tls)).sort(),
    variant: names[index] || null,
    cells: group.length,
    pass: passOf(group),
  }));
  return { outcomes, pass: passOf(run), notRun: null };
}

/** One column per engine, or per server where one engine runs several in this mode. */
function columnsOf(cells: readonly CellResult[]): { column: SideBySideColumn; cells: CellResult[] }[] {
  const servers = new Map<Engine, Set<string>>();
  for (const cell of cells)
    servers.set(engineOf(cell), (servers.get(engineOf(cell)) ?? new Set()).add(serverBase(cell)));
  const columns = new Map<string, { column: SideBySideColumn; cells: CellResult[] }>();
  for (const cell of cells) {
    const engine = engineOf(cell);
    const key = servers.get(engine)!.size > 1 ? serverBase(cell) : engine;
    const entry = columns.get(key) ?? { column: { key, engine }, cells: [] };
    entry.cells.push(cell);
    columns.set(key, entry);
  }
  return [...columns.values()];
}

/** The view, per mode; empty for a run of one engine (the grid above says it all then). */
export function sideBySide(result: MatrixResult): SideBySideMode[] {
  if (enginesOf(result).length < 2) return [];
  return result.summary.modes.flatMap((mode) => {
    const columns = columnsOf(result.cells.filter((cell) => cell.mode === mode));
    if (columns.length === 0) return [];
    const rows = result.summary.identities
      .map((identity) => ({
        identity,
        entries: columns.map(({ cells }) => {
          const here = cells.filter((cell) => cell.identity === identity);
          return here.length === 0 ? null : entryOf(here);
        }),
      }))
      // An identity not planned in this mode (a scenario's choice) has no row here.
      .filter((row) => row.entries.some((entry) => entry !== null));
    return [{ mode, columns: columns.map(({ column }) => column), rows }];
  });
}

const WHERE_WORDS: Record<Where, string> = { handshake: 'in the handshake', first_read: 'on the first read' };

/** An outcome in words: "alert bad_certificate (in the handshake)", "HTTP 400". */
export function outcomeWords(outcome: Outcome): string {
  const where = outcome.where ? ` (${WHERE_WORDS[outcome.where]})` : '';
  switch (outcome.kind) {
    case 'accepted':
      return 'accepted';
    case 'alert':
      return `alert ${outcome.alert ?? '?'}${where}`;
    case 'close':
      return `closed, no alert${where}`;
    case 'http':
    case 'grpc':
      return outcome.status ?? (outcome.kind === 'http' ? 'HTTP refusal' : 'gRPC refusal');
    case 'client':
      return "the client refused the server's certificate";
    case 'inconclusive':
      return `inconclusive: ${outcome.how ?? '?'}`;
    case 'other':
      return outcome.how ?? '?';
  }
}

/**
 * The outcomes of an entry that differ only in where the same refusal arrived (the same alert
 * in the handshake under TLS 1.2 and on the first read under TLS 1.3), as one refusal and its
 * places; undefined when they differ in more.
 */
export function sameRefusal(
  entry: SideBySideEntry,
): { outcome: Outcome; places: [string, Where][] } | undefined {
  const [first, ...rest] = entry.outcomes;
  if (!first || rest.length === 0) return undefined;
  const same = entry.outcomes.every(
    (outcome) =>
      outcome.kind === first.kind &&
      outcome.alert === first.alert &&
      outcome.where !== null &&
      outcome.variant !== null &&
      outcome.pass === first.pass,
  );
  if (!same) return undefined;
  return { outcome: first, places: entry.outcomes.map((outcome) => [outcome.variant!, outcome.where!]) };
}

/**
 * An entry in words, one line per variant: ["alert bad_certificate (1.2: in the handshake · 1.3:
 * on the first read)"], or ["1.2: alert handshake_failure (…)", "1.3: alert certificate_required (…)"].
 */
export function entryLines(entry: SideBySideEntry): string[] {
  if (entry.notRun !== null) return [`not run: ${entry.notRun}`];
  const merged = sameRefusal(entry);
  if (merged) {
    const what = outcomeWords({ ...merged.outcome, where: null });
    return [
      `${what} (${merged.places.map(([variant, where]) => `${variant}: ${WHERE_WORDS[where]}`).join(' · ')})`,
    ];
  }
  return entry.outcomes.map(
    (outcome) => `${outcome.variant ? `${outcome.variant}: ` : ''}${outcomeWords(outcome)}`,
  );
}

/** A whole entry in words, on one line. */
export const entryWords = (entry: SideBySideEntry): string => entryLines(entry).join(' · ');
