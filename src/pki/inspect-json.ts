/**
 * `inspect --json`: what each file holds, as schemas/inspect-report.v1.json describes it.
 * Keys are snake_case; a fact that does not apply is null rather than missing.
 */
import type { CertificateDetails, CrlDetails } from './describe.js';
import type { InspectedFile, InspectedItem } from './inspect.js';
import type { ChainCheck } from './verify-chain.js';

export const INSPECT_REPORT_VERSION = 1;

function certificateJson(d: CertificateDetails) {
  return {
    subject: d.subject,
    issuer: d.issuer,
    serial: d.serial,
    not_before: d.notBefore,
    not_after: d.notAfter,
    sha256: d.sha256,
    key_type: d.keyType,
    subject_alt_names: d.subjectAltNames,
    key_usage: d.keyUsage,
    extended_key_usage: d.extendedKeyUsage,
    ca: d.ca,
    path_length: d.pathLength ?? null,
    self_signed: d.selfSigned,
    validity: d.validity,
  };
}

function crlJson(d: CrlDetails) {
  return {
    issuer: d.issuer,
    this_update: d.thisUpdate,
    next_update: d.nextUpdate ?? null,
    validity: d.validity ?? null,
    revoked: d.revoked.map((entry) => ({ serial: entry.serial, date: entry.date, reason: entry.reason ?? null })),
  };
}

function itemJson(item: InspectedItem) {
  switch (item.kind) {
    case 'certificate':
      return {
        kind: item.kind,
        friendly_name: item.friendlyName ?? null,
        trusted: item.trusted ?? null,
        details: certificateJson(item.details),
      };
    case 'private-key':
      return { kind: item.kind, details: { key_type: item.details.keyType, matches: item.details.matches ?? null } };
    case 'public-key':
      return { kind: item.kind, details: { key_type: item.details.keyType } };
    case 'crl':
      return { kind: item.kind, details: crlJson(item.details) };
  }
}

function chainJson(chain: ChainCheck) {
  return {
    ok: chain.ok,
    purpose: chain.purpose,
    checked_crl: chain.checkedCrl,
    path: chain.path,
    problems: chain.problems.map(({ code, depth, subject, message }) => ({ code, depth, subject, message })),
    node_reports: chain.nodeReports,
  };
}

export function inspectDocument(files: readonly InspectedFile[]) {
  return {
    version: INSPECT_REPORT_VERSION,
    files: files.map((file) => ({
      path: file.path,
      format: file.format,
      items: file.items.map(itemJson),
      notes: file.notes,
      chain: file.chain ? chainJson(file.chain) : null,
    })),
  };
}
