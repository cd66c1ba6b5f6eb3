/** The side-by-side view in the JSON report (`side_by_side`, schemas/matrix-report.v1.json). */
import type { MatrixResult } from '../matrix/types.js';
import { entryWords, type Outcome, type SideBySideEntry, sideBySide } from './side-by-side.js';

const outcomeJson = (outcome: Outcome) => ({
  kind: outcome.kind,
  alert: outcome.alert,
  where: outcome.where,
  status: outcome.status,
  http_status: outcome.httpStatus,
  grpc_code: outcome.grpcCode,
  how: outcome.how,
  variant: outcome.variant,
  protocols: outcome.protocols,
  tls: outcome.tls,
  cells: outcome.cells,
  pass: outcome.pass,
});

const entryJson = (engine: string, entry: SideBySideEntry) => ({
  engine,
  pass: entry.pass,
  not_run: entry.notRun,
  summary: entryWords(entry),
  outcomes: entry.outcomes.map(outcomeJson),
});

/** Per mode, per identity, per engine: how it answered. Empty for a run of one engine. */
export function sideBySideJson(result: MatrixResult) {
  return sideBySide(result).map((view) => ({
    mode: view.mode,
    engines: view.columns.map((column) => column.key),
    identities: view.rows.map((row) => ({
      identity: row.identity,
      engines: Object.fromEntries(
        row.entries.flatMap((entry, index) => {
          const column = view.columns[index]!;
          return entry === null ? [] : [[column.key, entryJson(column.engine, entry)]];
        }),
      ),
    })),
  }));
}
