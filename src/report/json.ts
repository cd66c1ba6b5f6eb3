/**
 * `--format json`: the stable machine contract (documented in README, "JSON report").
 * Keys are snake_case; new keys may be added, existing ones keep their meaning.
 */

import type { CellResult, MatrixResult } from '../matrix/types.js';
import { viewJson } from '../servers/view-json.js';
import { answerJson } from './answer-json.js';
import { sideBySideJson } from './side-by-side-json.js';

export const JSON_REPORT_VERSION = 1;

function cellJson(cell: CellResult) {
  const { handshake: h, request: r } = cell;
  return {
    mode: cell.mode,
    server: cell.server,
    engine: cell.engine ?? 'node',
    identity: cell.identity,
    protocol: cell.protocol,
    tls: cell.tls,
    expected: cell.expected.verdict,
    expected_reason: cell.expected.reason,
    expected_source: cell.expected.source,
    verdict: cell.verdict,
    how: cell.how,
    refused_by: cell.refusedBy ?? null,
    inconclusive_why: cell.why ?? null,
    pass: cell.pass,
    /** Why the cell was not run, or null when it ran. */
    skipped: cell.skipped ?? null,
    not_served: cell.notServed ?? null,
    handshake: {
      kind: h.kind,
      alert: h.alert ?? null,
      code: h.code ?? null,
      detail: h.detail ?? null,
      tls_version: h.tlsVersion ?? null,
      alpn: h.alpn ?? null,
      server_hello: h.serverHello ?? null,
    },
    request: {
      kind: r.kind,
      ...answerJson(r),
      alert: r.alert ?? null,
      code: r.code ?? null,
      detail: r.detail ?? null,
    },
    server_view: cell.serverViews[0] ? viewJson(cell.serverViews[0]) : null,
    server_views: cell.serverViews.map(viewJson),
    duration_ms: Math.round(cell.durationMs),
  };
}

export function renderJson(result: MatrixResult): string {
  const { summary } = result;
  const report = {
    version: JSON_REPORT_VERSION,
    summary: {
      cells: summary.cells,
      passed: summary.passed,
      failed: summary.failed,
      inconclusive: summary.inconclusive,
      skipped: summary.skipped,
      not_served: summary.notServed,
      accepted: summary.accepted,
      rejected: summary.rejected,
      modes: summary.modes,
      identities: summary.identities,
      protocols: summary.protocols,
      tls: summary.tls,
      duration_ms: Math.round(summary.durationMs),
    },
    scenario: result.scenario,
    target: result.target,
    pki: { key_type: result.pki.keyType, dir: result.pki.dir, generated: result.pki.generated },
    observations: result.observations,
    problems: result.problems ?? [],
    cells: result.cells.map(cellJson),
    /** Engines side by side (a run of two or more): how each answered each identity, per mode. */
    side_by_side: sideBySideJson(result),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
