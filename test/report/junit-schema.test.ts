/**
 * JUnit XML checked against a published schema (see ../helpers/junit-schema.ts). Both a real
 * run through the built binary (small: two servers, an accepted and a refused cell on each
 * where the mode refuses) and the fixed sample holding every kind of cell (failure,
 * inconclusive, skipped, not served) must validate.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { mtlsLab } from '../helpers/cli.js';
import { validateJunit as validate, xmllintMissing } from '../helpers/junit-schema.js';
import { sampleResult } from '../helpers/sample-result.js';

const missing = await xmllintMissing();
if (missing) console.warn(`skipping JUnit schema validation: ${missing}`);

describe.skipIf(missing !== undefined)('JUnit against the published JUnit schema', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtls-lab-test-junit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates a real run written by the built binary', { timeout: 60_000 }, async () => {
    const file = join(dir, 'reports', 'mtls.xml');
    const run = await mtlsLab([
      'matrix',
      ...['--modes', 'request_client_cert,require_and_verify_client_cert', '--identities', 'none,valid'],
      ...['--protocols', 'tls', '--tls', '1.3'],
      ...['--report', `junit=${file}`],
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const { ok, output } = await validate(file);
    expect(output).toContain('validates');
    expect(ok, output).toBe(true);
  });

  it('validates failures, inconclusive, skipped and not-served cells', async () => {
    const file = join(dir, 'sample.xml');
    await writeFile(file, renderJunit(sampleResult()));
    const { ok, output } = await validate(file);
    expect(ok, output).toBe(true);
  });

  it('is a check that can fail: a stray attribute is refused', async () => {
    const file = join(dir, 'broken.xml');
    await writeFile(file, renderJunit(sampleResult()).replace('<testsuites ', '<testsuites bogus="1" '));
    const { ok, output } = await validate(file);
    expect(output).toContain('bogus');
    expect(ok).toBe(false);
  });
});
