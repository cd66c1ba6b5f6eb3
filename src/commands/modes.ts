/**
 * `mtls-lab modes`: the five client-auth modes with every alias, and the verification failures
 * a server may forgive on top of its mode, for people learning. Fits 100 columns: aliases and
 * descriptions wrap under their mode instead of running on to the right.
 */
import type { ChalkInstance } from 'chalk';
import type { CliContext } from '../cli.js';
import {
  FORGIVABLE,
  FORGIVABLE_DESCRIPTIONS,
  type Forgivable,
  MODE_PROMISES,
  type ModeAlias,
  type ModePromise,
  MODES,
} from '../modes.js';

/** One short of 100, so a 100-column terminal never wraps a line itself. */
const WIDTH = 99;
const INDENT = '    ';

export interface ModesListing {
  modes: ModePromise[];
  forgivable: { kind: Forgivable; description: string }[];
}

export function listModes(): ModesListing {
  return {
    modes: MODES.map((mode) => MODE_PROMISES[mode]),
    forgivable: FORGIVABLE.map((kind) => ({ kind, description: FORGIVABLE_DESCRIPTIONS[kind] })),
  };
}

/** Text with its width as printed (colour codes excluded), so lines can be wrapped. */
interface Piece {
  text: string;
  width: number;
}

const plain = (text: string): Piece => ({ text, width: text.length });

/**
 * Pieces joined by spaces (each but the last followed by `separator`) into lines of at most
 * WIDTH columns; the first line starts with `lead`, the others with as many spaces.
 */
function wrap(pieces: readonly Piece[], lead: string, separator = ''): string[] {
  const lines: string[] = [];
  let line = lead;
  let width = lead.length;
  let empty = true;
  pieces.forEach((piece, index) => {
    const sep = index < pieces.length - 1 ? separator : '';
    if (!empty && width + 1 + piece.width + sep.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(lead.length);
      width = lead.length;
      empty = true;
    }
    line += (empty ? '' : ' ') + piece.text + sep;
    width += (empty ? 0 : 1) + piece.width + sep.length;
    empty = false;
  });
  lines.push(line);
  return lines;
}

const words = (text: string): Piece[] => text.split(' ').map(plain);

/** "optional_no_ca (nginx, forgives untrusted-issuer)". */
function aliasPiece(alias: ModeAlias, c: ChalkInstance): Piece {
  const details = [alias.system, alias.note, alias.forgives && `forgives ${alias.forgives.join(', ')}`]
    .filter(Boolean)
    .join(', ');
  const name = alias.forgives ? c.yellow(alias.name) : alias.name;
  return { text: `${name} ${c.dim(`(${details})`)}`, width: `${alias.name} (${details})`.length };
}

export function renderModes(listing: ModesListing, ctx: CliContext): void {
  const { c } = ctx.io;
  const yesNo = (value: boolean, last = false) => (value ? c.green('yes') : c.dim(last ? 'no' : 'no '));
  const width = Math.max(...listing.modes.map((m) => m.mode.length));
  ctx.io.line(c.bold(`${'mode'.padEnd(width)}  requests  requires  verifies`));
  for (const m of listing.modes) {
    ctx.io.line(
      `${c.cyan(m.mode.padEnd(width))}  ${yesNo(m.requests)}       ${yesNo(m.requires)}       ${yesNo(m.verifies, true)}`,
    );
    for (const line of wrap(words(m.summary), INDENT)) ctx.io.line(c.dim(line));
    const aliases = m.aliases.map((alias) => aliasPiece(alias, c));
    for (const line of wrap(aliases, `${INDENT}aka `, ',')) ctx.io.line(line);
  }
  ctx.io.line();
  const about = [
    'a verifying server may let some failures through; its behaviour is its mode plus what it',
    "forgives (in a scenario, a route's client_mtls.forgives). Revocation is not forgivable: it is",
    'whether the server checks CRLs. The kinds:',
  ].join(' ');
  for (const line of wrap([{ text: c.bold('Forgives:'), width: 9 }, ...words(about)], '')) ctx.io.line(line);
  const kindWidth = Math.max(...listing.forgivable.map((f) => f.kind.length));
  for (const { kind, description } of listing.forgivable) {
    const lead = `  ${kind.padEnd(kindWidth)}  `;
    const lines = wrap(words(description), lead);
    lines.forEach((line, index) => ctx.io.line(index === 0 ? line.replace(kind, c.yellow(kind)) : line));
  }
}

/** What `mtls-lab modes` does (declared in ./declare/). */
export function modesAction(ctx: CliContext, options: { json?: boolean }): void {
  const listing = listModes();
  // schemas/modes.v1.json
  if (options.json) ctx.io.data(`${JSON.stringify({ version: 1, ...listing }, null, 2)}\n`);
  else renderModes(listing, ctx);
}
