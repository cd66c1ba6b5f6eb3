/**
 * The shipped JSON Schemas: well-formed, named by a stable $id, in the package, in step with
 * the code's own lists, and strict enough to refuse a document that drifts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { FORGIVABLE, MODES } from '../src/modes.js';
import { KEY_TYPES } from '../src/pki/types.js';
import { renderReport } from '../src/report/index.js';
import { PROTOCOLS, TLS_VERSIONS } from '../src/servers/types.js';
import {
  expectValid,
  parseValid,
  readSchema,
  SCHEMA_FILES,
  SCHEMAS_DIR,
  type DocumentKind,
} from './helpers/json-schema.js';
import { sampleResult } from './helpers/sample-result.js';

const KINDS = Object.keys(SCHEMA_FILES) as DocumentKind[];

/** Every `enum` list in a schema, by the key that holds it (items of arrays included). */
function enumsOf(node: unknown, key = '', found = new Map<string, unknown[][]>()): Map<string, unknown[][]> {
  if (Array.isArray(node)) node.forEach((item) => enumsOf(item, key, found));
  else if (node !== null && typeof node === 'object') {
    for (const [name, inner] of Object.entries(node)) {
      if (name === 'enum') found.set(key, [...(found.get(key) ?? []), inner as unknown[]]);
      else
        enumsOf(inner, ['properties', 'items', '$defs', 'anyOf', 'oneOf'].includes(name) ? key : name, found);
    }
  }
  return found;
}

const withoutNull = (list: unknown[]) => list.filter((value) => value !== null);

describe('the JSON Schemas', () => {
  it('are every file in schemas/, each draft 2020-12 with an $id named after its file', () => {
    expect(readdirSync(SCHEMAS_DIR).sort()).toEqual(Object.values(SCHEMA_FILES).sort());
    for (const kind of KINDS) {
      const schema = readSchema(kind);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://mtls-lab.dev/schemas/${SCHEMA_FILES[kind]}`);
      expect(schema.$id).toMatch(
        new RegExp(
          `\\.v${String((schema.properties as { version: { const: number } }).version.const)}\\.json$`,
        ),
      );
    }
  });

  it('ship in the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('schemas');
  });

  it("list exactly the code's modes, forgivable kinds, protocols, TLS versions and key types", () => {
    const expected: Record<string, readonly unknown[]> = {
      mode: MODES,
      modes: MODES,
      forgives: FORGIVABLE,
      kind: FORGIVABLE,
      protocol: PROTOCOLS,
      protocols: PROTOCOLS,
      tls: TLS_VERSIONS,
      tls_versions: TLS_VERSIONS,
      key_type: KEY_TYPES,
      keyType: KEY_TYPES,
    };
    let checked = 0;
    for (const kind of KINDS) {
      for (const [key, lists] of enumsOf(readSchema(kind))) {
        const want = expected[key];
        // `kind` names an item's kind in other documents (handshake, request, inspect items).
        if (!want || (key === 'kind' && kind !== 'modes')) continue;
        for (const list of lists) expect(withoutNull(list), `${kind}: ${key}`).toEqual([...want]);
        checked += lists.length;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('refuse a document that drifts: a key added, renamed to camelCase, or a value out of its enum', () => {
    const plain = new Chalk({ level: 0 });
    const report = parseValid('matrix', renderReport(sampleResult(), 'json', plain));
    expect(report.cells.length).toBeGreaterThan(0);
    expect(() => expectValid('matrix', { ...report, extra: 1 })).toThrow(
      /must NOT have additional properties/,
    );
    const { duration_ms: ms, ...summary } = report.summary;
    expect(() => expectValid('matrix', { ...report, summary: { ...summary, durationMs: ms } })).toThrow(
      /summary must have required property 'duration_ms'/,
    );
    const cell = { ...report.cells[0], verdict: 'maybe' };
    expect(() => expectValid('matrix', { ...report, cells: [cell] })).toThrow(/\/cells\/0\/verdict/);
    expect(() => expectValid('matrix', { ...report, version: 2 })).toThrow(
      /version must be equal to constant/,
    );
  });
});
