/**
 * Every JSON document mtls-lab prints has a schema in schemas/ (shipped in the package).
 * Tests that read one check it against its schema first: a key renamed, dropped, added or
 * re-cased without its schema fails here.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

export const SCHEMA_FILES = {
  matrix: 'matrix-report.v1.json',
  probe: 'probe-report.v2.json',
  inspect: 'inspect-report.v1.json',
  manifest: 'manifest.v2.json',
  'manifest-v1': 'manifest.v1.json',
  'server-view': 'server-view.v1.json',
  modes: 'modes.v1.json',
  scenarios: 'scenarios.v1.json',
} as const;

export type DocumentKind = keyof typeof SCHEMA_FILES;

export const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url);

export function readSchema(kind: DocumentKind): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(SCHEMA_FILES[kind], SCHEMAS_DIR), 'utf8')) as Record<
    string,
    unknown
  >;
}

// ajv-formats is CommonJS: its default export arrives as the module object or the function.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true }));
// Compiled once, on import: never inside a socket's event handler of a test.
const validators = Object.fromEntries(
  Object.keys(SCHEMA_FILES).map((kind) => [kind, ajv.compile(readSchema(kind as DocumentKind))]),
) as Record<DocumentKind, ValidateFunction>;

/** Throws, listing every violation, unless `doc` is valid against the schema of `kind`. */
export function expectValid(kind: DocumentKind, doc: unknown): void {
  const validate = validators[kind];
  if (validate(doc)) return;
  const problems = (validate.errors ?? []).map(
    (error) =>
      `  ${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
  );
  throw new Error(`not a valid ${kind} document (${SCHEMA_FILES[kind]}):\n${problems.join('\n')}`);
}

/**
 * Parses a document the CLI printed and checks it against its schema; typed loosely (as
 * JSON.parse is) unless told, since the schema has checked its shape.
 */
export function parseValid<T = ReturnType<typeof JSON.parse>>(kind: DocumentKind, text: string): T {
  const doc: unknown = JSON.parse(text);
  expectValid(kind, doc);
  return doc as T;
}
