/**
 * zod's issues, reworded for someone editing a YAML file: what was expected, what was found
 * (quoted from their file), and for an unknown field the fields that are valid there.
 */
import { printable } from '../errors.js';
import type { z } from 'zod';
import type { FieldPath, Problem } from './locate.js';
import { pathPattern } from './locate.js';
import { FIELDS_BY_PATH, REQUIRED_HINTS } from './schema.js';

type Issue = z.core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of fields',
};

/** Singular and plural nouns for the values of enum fields, by field name. */
const ENUM_NOUNS: Record<string, [string, string]> = {
  protocols: ['protocol', 'protocols'],
  protocol: ['protocol', 'protocols'],
  key_type: ['key type', 'key types'],
  keystores: ['keystore format', 'keystore formats'],
  verdict: ['verdict', 'verdicts'],
  client_ca: ['CA', 'CAs'],
};

const MAX_QUOTED = 60;

/**
 * A value in words. Text is quoted (shortened, control characters escaped) only where it is
 * a field's value: at the top of the file it may be any file's content (`matrix /etc/passwd`),
 * which an error never repeats.
 */
export function describeValue(value: unknown, quote = true): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string' && !quote) return 'plain text (this does not look like a scenario file)';
  if (typeof value === 'string') {
    const shown = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
    return `the text "${printable(shown)}"`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** Edit distance, for "did you mean" on misspelt field names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function unknownFieldMessage(parent: FieldPath, key: string): string {
  const valid = FIELDS_BY_PATH[pathPattern(parent)] ?? [];
  const close = valid.find((field) => distance(field, key) <= Math.max(1, Math.floor(field.length / 4)));
  const hint = close ? `; did you mean "${close}"?` : '';
  return `unknown field${hint}${valid.length ? ` (valid fields here: ${valid.join(', ')})` : ''}`;
}

function typeMessage(issue: Issue & { code: 'invalid_type' }, value: unknown): string {
  if (value === undefined) {
    const hint = REQUIRED_HINTS[pathPattern(issue.path as FieldPath)];
    return `required field is missing${hint ? `: ${hint}` : ''}`;
  }
  const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
  const quoteHint =
    issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
      ? '; put it in quotes to write it as text'
      : '';
  return `expected ${expected}, got ${describeValue(value, issue.path.length > 0)}${quoteHint}`;
}

function enumMessage(issue: Issue & { code: 'invalid_value' }, value: unknown): string {
  const field = [...issue.path].reverse().find((segment) => typeof segment === 'string');
  const [one, many] = ENUM_NOUNS[String(field)] ?? ['value', 'values'];
  const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
  return `unknown ${one} ${shown}; valid ${many}: ${issue.values.map(String).join(', ')}`;
}

function sizeMessage(issue: Issue & { code: 'too_small' }): string {
  if (issue.origin === 'array') return 'must not be an empty list (leave the field out to use the default)';
  if (issue.origin === 'string') return 'must not be empty';
  return `must be at least ${String(issue.minimum)}`;
}

/** One or more problems for one zod issue; `root` is the parsed YAML, for quoting values. */
export function issueProblems(issue: Issue, root: unknown): Problem[] {
  const path = issue.path as FieldPath;
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: unknownFieldMessage(path, key),
      }));
    case 'invalid_type':
      return [{ path, message: typeMessage(issue, value) }];
    case 'invalid_value':
      return [{ path, message: enumMessage(issue, value) }];
    case 'too_small':
      return [{ path, message: sizeMessage(issue) }];
    case 'invalid_union':
    case 'invalid_format':
      return [{ path, message: `${issue.message}, got ${describeValue(value, path.length > 0)}` }];
    default:
      // custom (our own wording) and anything rarer.
      return [{ path, message: issue.message }];
  }
}
