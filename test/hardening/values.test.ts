/**
 * Every value is checked at every entry point, with the same bound on the CLI and in scenarios.
 * One refusal runs the built binary (exit status of a real process); the rest run the same
 * entry point in-process.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECONDS, MIN_SECONDS, parseSeconds } from '../../src/commands/options.js';
import { UsageError } from '../../src/errors.js';
import { MAX_DAYS } from '../../src/pki/generate.js';
import { mtlsLab, runMain } from '../helpers/cli.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mtls-lab-values-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('seconds', () => {
  it('refuses values below the minimum (which would round to 0 ms) and above the maximum', () => {
    for (const value of ['0.0001', '0.009', '0', '-1', String(MAX_SECONDS + 1), 'NaN', ''])
      expect(() => parseSeconds(value, '--timeout')).toThrow(UsageError);
    expect(parseSeconds(String(MIN_SECONDS), '--timeout')).toBe(10);
    expect(parseSeconds('2.5', '--timeout')).toBe(2500);
  });

  it('matrix --timeout 0.0001 is bad usage (exit 2), naming the bound (built binary)', async () => {
    const run = await mtlsLab(['matrix', '--timeout', '0.0001']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      `--timeout must be a number of seconds from ${MIN_SECONDS} to ${MAX_SECONDS}`,
    );
  });
});

describe('days', () => {
  it('gen --days over the bound is exit 2, writing nothing', async () => {
    const run = await runMain(['gen', '--out', join(work, 'pki'), '--days', String(MAX_DAYS + 1)]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`from 1 to ${MAX_DAYS}`);
    expect(existsSync(join(work, 'pki'))).toBe(false);
  });

  it('a scenario with pki.generate.days: 50000 gets file:line:field and exit 2, no stack trace', async () => {
    const file = join(work, 'days.yaml');
    writeFileSync(file, 'name: days\ndescription: too long\npki:\n  generate:\n    days: 50000\n');
    const run = await runMain(['matrix', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${file}:5:\\d+: pki\\.generate\\.days`));
    expect(run.stderr).toContain(String(MAX_DAYS));
    expect(run.stderr).not.toMatch(/RangeError|\n\s+at /);
  });
});
