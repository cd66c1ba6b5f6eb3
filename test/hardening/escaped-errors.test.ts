/**
 * Error messages print user-supplied text escaped, and never quote an arbitrary file's content.
 * One case runs the built binary, as a terminal would receive its stderr; the others run the
 * same entry point in-process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/errors.js';
import { mtlsLab, runMain } from '../helpers/cli.js';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mtls-lab-escaped-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('printable', () => {
  it('escapes control characters and leaves the rest alone', () => {
    expect(printable('a\u001b[31mb\u0000c\nd\u009be\u202e')).toBe('a\\x1b[31mb\\x00c\\nd\\x9be\\u202e');
    expect(printable('plain text, ünïcödé ✓')).toBe('plain text, ünïcödé ✓');
  });
});

describe('error messages', () => {
  it('escapes terminal sequences and NUL bytes from identity names in a scenario (built binary)', async () => {
    const identity = join(work, 'identity.yaml');
    writeFileSync(identity, 'name: x\ndescription: y\nidentities: ["\\e[2Jboom\\0"]\n');
    const run = await mtlsLab(['matrix', identity]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain('\\x1b[2Jboom\\x00');
  });

  it('escapes terminal sequences from server names in a scenario', async () => {
    const server = join(work, 'server.yaml');
    writeFileSync(server, 'name: x\ndescription: y\nservers: [{name: "\\e]0;title\\a", mode: on}]\n');
    const run = await runMain(['matrix', server]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain('\\x1b]0;title\\x07');
  });

  it('escapes identity names given on the command line', async () => {
    const run = await runMain(['matrix', '--identities', 'valid,\u001b[31mred']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).not.toMatch(CONTROL);
    expect(run.stderr).toContain('\\x1b[31mred');
  });

  it('names an arbitrary file given as a scenario and the position, never its content', async () => {
    const file = join(work, 'passwd');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    const run = await runMain(['matrix', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${file}:1:1:`);
    expect(run.stderr).not.toMatch(/root:x|daemon|bin\/bash/);
  });
});
