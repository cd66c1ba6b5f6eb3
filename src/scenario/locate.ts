/**
 * From a field path (['servers', 1, 'mode']) to the line:column of that field in the YAML
 * source, and from problems to the one error message the user reads. The parsed Document
 * keeps every node's source range, so any problem found after parsing can still point at
 * the exact place it comes from.
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { InputError, printable } from '../errors.js';

export type FieldPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface Problem {
  path: FieldPath;
  message: string;
  /** Where to point; found from the path when absent. */
  position?: Position;
  /** Point at the field's key rather than its value (an unknown field). */
  atKey?: boolean;
}

/** `servers[1].mode`; the empty path is the document itself. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  }
  return text;
}

/** `servers[].mode`: the path with list indexes dropped, for per-field tables. */
export function pathPattern(path: FieldPath): string {
  return formatPath(path).replace(/\[\d+\]/g, '[]');
}

export class SourceMap {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The position of the value at `path`, or of its key when `key` is set. When the path goes
   * further than the document (a missing field), the deepest node that exists is used.
   */
  locate(path: FieldPath, options: { key?: boolean } = {}): Position {
    let node: Node | null = this.doc.contents;
    let at: Node | null = node;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        const key = pair.key as Node;
        const value = pair.value as Node | null;
        // An empty value (`reason:`) has no range of its own worth pointing at: use its key.
        node = last && options.key ? key : value && !isEmptyScalar(value) ? value : key;
        at = node;
        if (node === key) break;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        node = item;
        at = item;
      } else {
        break;
      }
    }
    return this.positionOf(at);
  }

  positionOf(node: Node | null): Position {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
}

/** `file:line:column: path: message`. */
export function formatProblem(file: string, position: Position, path: FieldPath, message: string): string {
  // Field names and messages quote the user's text: control characters are shown escaped.
  const field = printable(formatPath(path));
  return `${printable(file)}:${position.line}:${position.column}: ${field ? `${field}: ` : ''}${printable(message)}`;
}

const MAX_LISTED = 8;

/**
 * One InputError for every problem, in source order: the first line is the first problem;
 * a few more follow so one edit-run cycle can fix several mistakes.
 */
export function problemsError(
  file: string,
  problems: readonly (Problem & { position: Position })[],
): InputError {
  const sorted = [...problems].sort(
    (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
  );
  const lines = sorted.slice(0, MAX_LISTED).map((p) => formatProblem(file, p.position, p.path, p.message));
  if (sorted.length > MAX_LISTED) lines.push(`(and ${sorted.length - MAX_LISTED} more problems)`);
  return new InputError(lines.join('\n'));
}
