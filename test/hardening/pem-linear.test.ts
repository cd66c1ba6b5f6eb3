/**
 * PEM parsing stays linear. The inputs are large enough that a quadratic parser (the old
 * lazy-body regular expression took 7.7 s for 32,000 unterminated BEGIN lines) blows the
 * default test timeout; the assertions are about results, never time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBeginLines, splitPem } from '../../src/pki/pem.js';
import { runMain } from '../helpers/cli.js';
import { pkiPerWorker } from '../helpers/pki-per-worker.js';

const LINES = 200_000;
const unterminated = '-----BEGIN CERTIFICATE-----\n'.repeat(LINES);
let cert: string;
let work: string;

beforeAll(async () => {
  cert = (await pkiPerWorker()).cas.root.cert;
  work = mkdtempSync(join(tmpdir(), 'mtls-lab-pem-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('splitPem on hostile input', () => {
  it(`finds no block in ${LINES} unterminated BEGIN lines, and counts them`, () => {
    expect(splitPem(unterminated)).toEqual([]);
    expect(countBeginLines(unterminated)).toBe(LINES);
  });

  it('still finds a real block after them, and before them', () => {
    const blocks = splitPem(`${cert}${unterminated}${cert}`);
    expect(blocks.map((block) => block.label)).toEqual(['CERTIFICATE', 'CERTIFICATE']);
    expect(blocks[0]?.pem).toBe(cert.endsWith('\n') ? cert : `${cert}\n`);
  });

  it('handles a long run of label characters and of mismatched END lines', () => {
    expect(splitPem(`-----BEGIN ${'A'.repeat(2_000_000)}`)).toEqual([]);
    const mismatched = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n'.repeat(LINES / 2);
    expect(splitPem(mismatched)).toEqual([]);
  });

  it('keeps the old results on ordinary input: bundles, text between blocks, CRLF', () => {
    const bundle = `Bag Attributes\n${cert}\nsubject=...\n${cert.replace(/\n/g, '\r\n')}`;
    expect(splitPem(bundle)).toHaveLength(2);
    expect(splitPem(bundle)[1]?.der.equals(splitPem(cert)[0]!.der)).toBe(true);
  });
});

describe('mtls-lab inspect on hostile PEM', () => {
  it(`refuses ${LINES} unterminated BEGIN lines as a truncated block, exit 2`, async () => {
    const file = join(work, 'begins.pem');
    writeFileSync(file, unterminated);
    const run = await runMain(['inspect', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${file}: PEM block 1 is truncated or corrupt`);
  });
});
